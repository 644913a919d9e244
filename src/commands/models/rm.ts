import {Args} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {cachePaths} from '../../hub/cache.js'
import {removeModel, type RemoveResult} from '../../hub/remove.js'
import {formatBytes} from '../../ui/download-progress.js'

export type ModelsRmResult = RemoveResult

export default class ModelsRm extends DptCommand {
  static override summary = 'Delete an installed model from the cache.'
  static override examples = ['<%= config.bin %> models rm dpt-large']
  static override args = {id: Args.string({required: true, description: 'installed model id (dpt models list)'})}

  async run(): Promise<ModelsRmResult> {
    const {args} = await this.parse(ModelsRm)
    const result = await removeModel(cachePaths(), args.id)
    if (!this.jsonEnabled()) this.logToStderr(`removed ${result.id} (${formatBytes(result.freedBytes)}) from ${result.dir}`)
    return result
  }
}
