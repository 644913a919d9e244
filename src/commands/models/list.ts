import {Flags} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {cachePaths} from '../../hub/cache.js'
import {hubSettings} from '../../hub/http.js'
import {listModels, withRemoteSizes, type ModelListing} from '../../hub/listing.js'
import {loadRegistry} from '../../hub/registry.js'
import {formatBytes} from '../../ui/download-progress.js'
import {table} from '../../ui/table.js'

export interface ModelsListResult {
  readonly cache: string
  readonly registry: string
  readonly models: readonly ModelListing[]
}

export default class ModelsList extends DptCommand {
  static override summary = "List the registry's models and the installed ones, with sizes."
  static override examples = ['<%= config.bin %> models list', '<%= config.bin %> models list --remote --json']
  static override flags = {
    remote: Flags.boolean({summary: 'Ask the hub for the download sizes the registry does not pin (one HEAD request per file).'}),
  }

  async run(): Promise<ModelsListResult> {
    const {flags} = await this.parse(ModelsList)
    const registry = loadRegistry()
    const paths = cachePaths()
    const local = listModels(registry, paths)
    const models = flags.remote ? await withRemoteSizes(registry, local, hubSettings()) : local
    const size = (m: ModelListing): string => {
      if (m.installed.length > 0) return formatBytes(m.installedBytes)
      if (m.source === 'export') return '-'
      const fp32 = m.downloadBytes.fp32
      return fp32 === undefined || fp32 === null ? '?' : formatBytes(fp32)
    }
    const rows = models.map((m) => [
      `${m.id}${m.default ? ' *' : ''}`,
      m.task,
      m.installed.length > 0 ? `yes (${m.installed.join(',')})` : 'no',
      size(m),
      m.source === 'hub' ? `hub ${m.repo}` : m.source === 'export' ? 'export + import (no ONNX published)' : m.title,
      m.licence ?? '',
    ])
    for (const line of table(['ID', 'TASK', 'INSTALLED', 'SIZE', 'SOURCE', 'LICENCE'], rows)) this.log(line)
    this.log(`\n* default model of its task. SIZE: installed, else the fp32 download (? = not pinned: --remote asks the hub).`)
    this.log(`Cache: ${paths.root}. Details: dpt models info ID.`)
    return {cache: paths.root, registry: registry.path, models}
  }
}
