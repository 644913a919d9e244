import {Args, Flags} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {cachePaths} from '../../hub/cache.js'
import {hubSettings} from '../../hub/http.js'
import {pullModel, type PullResult} from '../../hub/pull.js'
import {loadRegistry, requireEntry} from '../../hub/registry.js'
import {formatBytes, pullProgress} from '../../ui/download-progress.js'

export type ModelsPullResult = PullResult

export default class ModelsPull extends DptCommand {
  static override summary = 'Download a registry model into the cache: resumable, verified (sha256), safe to run twice at once.'
  static override description = `Files come from HF_ENDPOINT (default https://huggingface.co), with HF_TOKEN for private or gated repositories and HTTPS_PROXY / NO_PROXY honoured. An interrupted download resumes where it stopped. DPT_HTTP_TIMEOUT sets the seconds a silent connection is waited for (default 30).`
  static override examples = ['<%= config.bin %> models pull dpt-hybrid', '<%= config.bin %> models pull depth-anything-v2-small --dtype fp16']
  static override args = {id: Args.string({required: true, description: 'registry id (dpt models list)'})}
  static override flags = {
    dtype: Flags.option({options: ['fp32', 'fp16', 'q8'] as const, default: 'fp32' as const, summary: 'Which ONNX variant to download.'})(),
    offline: Flags.boolean({summary: 'Never use the network (the pull then only succeeds if the model is installed).', env: 'DPT_OFFLINE'}),
    'allow-unverified': Flags.boolean({summary: 'Install files for which neither the registry nor the hub gives a sha256 (recorded as unverified).'}),
  }

  async run(): Promise<ModelsPullResult> {
    const {args, flags} = await this.parse(ModelsPull)
    // Notices (what is downloaded, waiting for another pull) reach stderr even under --json; the bar only a terminal.
    const log = (line: string): void => void process.stderr.write(`${line}\n`)
    const registry = loadRegistry()
    const entry = requireEntry(registry, args.id)
    const events = pullProgress(process.stderr.isTTY && !this.jsonEnabled(), log)
    const result = await pullModel(
      registry,
      cachePaths(),
      hubSettings(),
      entry,
      {dtype: flags.dtype, offline: flags.offline, allowUnverified: flags['allow-unverified']},
      events,
    )
    if (!this.jsonEnabled()) {
      log(
        result.downloaded
          ? `${result.id} (${result.dtype}): ${formatBytes(result.downloadedBytes)} downloaded and verified into ${result.dir}`
          : `${result.id} (${result.dtype}) is already installed in ${result.dir}`,
      )
    }
    return result
  }
}
