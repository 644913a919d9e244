import {DptCommand} from '../cli/base.js'
import {doctorReport, type DoctorReport} from '../doctor/report.js'
import {formatBytes} from '../ui/download-progress.js'

export type DoctorResult = DoctorReport

export default class Doctor extends DptCommand {
  static override summary =
    'Check the installation: onnxruntime, execution providers (a session is tried on each), CPU features, threads, cache and installed models (re-verified).'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']

  async run(): Promise<DoctorResult> {
    await this.parse(Doctor)
    const r = await doctorReport()
    this.log(`node ${r.runtime.node} on ${r.runtime.platform}, onnxruntime-node ${r.runtime.onnxruntime}`)
    for (const p of r.runtime.providers) {
      const status = p.usable ? 'usable (a session ran)' : `not usable: ${p.error ?? 'no session'}`
      this.log(`  provider ${p.name}: ${status}${p.installed ? '' : `; not installed: ${p.reason ?? ''}`}`)
    }
    this.log(
      `cpu ${r.cpu.model}, ${r.cpu.cores} cores, ${r.cpu.features === null ? 'features unknown on this platform' : `features ${r.cpu.features.join(' ') || 'none of note'}`}`,
    )
    this.log(`threads: ${r.threads.workers} worker × ${r.threads.threadsPerWorker} intra-op threads by default (--workers, --threads)`)
    const partial = r.cache.partialBytes > 0 ? `, ${formatBytes(r.cache.partialBytes)} of interrupted downloads (resumed by the next pull)` : ''
    this.log(
      `cache ${r.cache.dir}: ${formatBytes(r.cache.installedBytes)} installed${partial}, ${r.cache.freeBytes === null ? 'free space unknown' : `${formatBytes(r.cache.freeBytes)} free`}`,
    )
    this.log(
      `hub ${r.hub.endpoint}${r.hub.token ? ' with HF_TOKEN' : ''}${r.hub.proxy === null ? '' : ` via proxy ${r.hub.proxy}`}${r.hub.offline ? ', offline (DPT_OFFLINE or HF_HUB_OFFLINE)' : ''}`,
    )
    this.log(
      `registry ${r.registry.path}: ${r.registry.models} models, defaults depth ${r.registry.defaults.depth}, segmentation ${r.registry.defaults.segmentation}`,
    )
    for (const m of r.models) this.log(`  model ${m.id}: ${m.status} (${formatBytes(m.bytes)})`)
    for (const problem of r.problems) this.log(`problem: ${problem}`)
    return r
  }
}
