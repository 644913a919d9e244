import {Command} from '@oclif/core'
import {handleRunError} from '../command-errors.js'
import {doctorReport, type DoctorReport} from '../doctor/report.js'
import {formatBytes} from '../ui/download-progress.js'

export type DoctorResult = DoctorReport

export default class Doctor extends Command {
  static override summary = 'Check the installation: onnxruntime, execution providers, CPU features, threads, cache and installed models (re-verified).'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']
  static override enableJsonFlag = true

  async run(): Promise<DoctorResult> {
    await this.parse(Doctor)
    try {
      const r = await doctorReport()
      this.log(`node ${r.runtime.node} on ${r.runtime.platform}, onnxruntime-node ${r.runtime.onnxruntime}`)
      for (const p of r.runtime.providers) this.log(`  provider ${p.name}: ${p.installed ? 'installed' : `missing: ${p.reason ?? ''}`}`)
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
      for (const m of r.models) {
        const origin = m.provenance.kind === 'registry' ? "the registry's" : `local: ${m.provenance.reason}`
        this.log(`  model ${m.id}: ${m.status} (${formatBytes(m.bytes)}; ${origin})`)
      }
      for (const problem of r.problems) this.log(`problem: ${problem}`)
      return r
    } catch (error) {
      return handleRunError(this, error)
    }
  }
}
