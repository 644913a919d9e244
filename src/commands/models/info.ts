import {Args} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {cachePaths, modelDir, readManifest, type Manifest} from '../../hub/cache.js'
import {exportRemedy, findEntry, loadRegistry, type RegistryEntry} from '../../hub/registry.js'
import {DptError} from '../../pipeline/errors.js'
import {formatBytes} from '../../ui/download-progress.js'

export interface ModelsInfoResult {
  readonly id: string
  /** The registry entry; null for a model only imported under an id the registry does not know. */
  readonly entry: RegistryEntry | null
  readonly dir: string
  readonly installed: Manifest | null
}

export default class ModelsInfo extends DptCommand {
  static override summary = "Show a model's registry entry (source, card, licence, the paper's numbers) and what is installed."
  static override examples = ['<%= config.bin %> models info dpt-hybrid', '<%= config.bin %> models info dpt-hybrid-ade20k --json']
  static override args = {id: Args.string({required: true, description: 'registry or installed model id'})}

  async run(): Promise<ModelsInfoResult> {
    const {args} = await this.parse(ModelsInfo)
    const registry = loadRegistry()
    const dir = modelDir(cachePaths(), args.id)
    const entry = findEntry(registry, args.id) ?? null
    const installed = readManifest(dir) ?? null
    if (entry === null && installed === null) {
      throw new DptError(`Unknown model id ${args.id}`, {remedy: `Known ids: ${registry.models.map((m) => m.id).join(', ')} (dpt models list).`})
    }
    if (entry !== null) {
      const p = entry.card.preprocess
      this.log(`${entry.id}: ${entry.title}`)
      this.log(`task ${entry.task}, ${entry.params ?? '?'} parameters, licence ${entry.licence.spdx} (${entry.licence.url})`)
      this.log(
        entry.source === null
          ? exportRemedy(entry)
          : `source: ${entry.source.repo} @ ${entry.source.revision}, dtypes ${Object.keys(entry.source.dtypes).join(', ')}`,
      )
      if (entry.source !== null && entry.export !== null)
        this.log(`reference semantics instead: export ${entry.export.checkpoint.url} with\n  ${entry.export.command}`)
      this.log(
        `card (${entry.card.from}): ${p.width}×${p.height}, ${p.keepAspect ? `keep aspect, ${p.rule}, ×${p.multiple}` : 'square'}, ${p.resize}, mean ${p.mean.join('/')} std ${p.std.join('/')}, upsample ${entry.card.upsample}`,
      )
      this.log(`output: ${entry.card.output}`)
      if (entry.reported !== null)
        this.log(`reported (${entry.reported.source}): ${entry.reported.results.map((r) => `${r.dataset} ${r.metric} ${r.value}`).join(', ')}`)
      this.log(entry.notes)
    }
    if (installed === null) this.log(`not installed (${dir})`)
    else {
      this.log(
        `installed in ${dir} (${installed.source.kind === 'hub' ? `${installed.source.repo} commit ${installed.source.commit ?? '?'}` : `imported from ${installed.source.from}`}):`,
      )
      for (const f of installed.files) this.log(`  ${f.path}  ${formatBytes(f.size)}  sha256 ${f.sha256}  ${f.verifiedBy}`)
    }
    return {id: args.id, entry, dir, installed}
  }
}
