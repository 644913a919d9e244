import {Args, Flags} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {cachePaths} from '../../hub/cache.js'
import {importModel, type ImportResult} from '../../hub/import.js'
import {loadRegistry} from '../../hub/registry.js'

export type ModelsImportResult = ImportResult

export default class ModelsImport extends DptCommand {
  static override summary = 'Register an exported model folder in the cache, so `--model ID` (or the task default) finds it.'
  static override description =
    'The folder must load as `--model DIR` would (onnx/model.onnx with a dpt-card.json or Hugging Face config files), e.g. the output of tools/export_model.py. It is copied into the cache with a manifest of sha256 hashes.'
  static override examples = [
    '<%= config.bin %> models import ./exported/dpt-hybrid-ade20k --id dpt-hybrid-ade20k',
    '<%= config.bin %> models import ./my-depth-model',
  ]
  static override args = {dir: Args.directory({required: true, exists: true, description: 'exported model folder'})}
  static override flags = {
    id: Flags.string({summary: 'Id to register it under (a registry id makes it that model) [default: the folder name].'}),
    force: Flags.boolean({summary: 'Replace a model already installed under this id.'}),
  }

  async run(): Promise<ModelsImportResult> {
    const {args, flags} = await this.parse(ModelsImport)
    const result = await importModel(loadRegistry(), cachePaths(), args.dir, {...(flags.id === undefined ? {} : {id: flags.id}), force: flags.force})
    if (!this.jsonEnabled())
      this.logToStderr(`imported ${result.id} (${result.task}, ${result.dtypes.join(', ')}) into ${result.dir}; use --model ${result.id}`)
    return result
  }
}
