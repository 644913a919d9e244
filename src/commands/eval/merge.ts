import {Args} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {reportFlags} from '../../eval/flags.js'
import {EVAL_EXIT_CODES_HELP, runMerge, type EvalResult} from '../../eval/run-eval.js'
import {renderTable} from '../../eval/report/index.js'
import {gateSettings, reportTargets} from '../../eval/settings.js'

export default class EvalMerge extends DptCommand {
  static override summary = 'Merge the partial reports of `dpt eval --shard i/n` into the single-run report.'
  static override description = `Every shard 1..n must be given once; the result equals the report of one run over the whole dataset.
Gates (--fail-if, --baseline + --max-regression) apply to the merged report.
${EVAL_EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> eval merge parts/*.json --report ade.json --fail-if "mIoU<47.5"']
  static override strict = false
  static override args = {parts: Args.string({required: true, description: 'partial report files (JSON) of every shard'})}
  static override flags = reportFlags

  async run(): Promise<EvalResult> {
    const {argv, flags} = await this.parse(EvalMerge)
    const result = await runMerge(argv as string[], gateSettings(flags), reportTargets(flags, process.env), process.cwd())
    if (!this.jsonEnabled()) this.log(renderTable(result.report, {gates: result.gates}))
    process.exitCode = result.exitCode
    return result
  }
}
