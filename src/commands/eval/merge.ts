import {resolve} from 'node:path'
import {Args} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {reportFlags} from '../../eval/flags.js'
import {htmlTargetOf} from '../../html/eval/html-target.js'
import {htmlFlags, htmlPartsFlag} from '../../html/flags.js'
import {EVAL_EXIT_CODES_HELP, runMerge, type EvalResult} from '../../eval/run-eval.js'
import {renderTable} from '../../eval/report/index.js'
import {gateSettings, reportTargets} from '../../eval/settings.js'
import {parseColumnGate, renderZeroShotText} from '../../eval/suite/index.js'
import {isSuiteReportFile, runSuiteMerge, type SuiteResult} from '../../eval/suite/run-suite.js'
import {DptError} from '../../pipeline/errors.js'

export default class EvalMerge extends DptCommand {
  static override summary = 'Merge the partial reports of `dpt eval --shard i/n` (or `dpt eval suite --shard i/n`) into the single-run report.'
  static override description = `Every shard 1..n must be given once; the result equals the report of one run over the whole dataset.
Gates (--fail-if, --baseline + --max-regression) apply to the merged report.
${EVAL_EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> eval merge parts/*.json --report ade.json --fail-if "mIoU<47.5"',
    "<%= config.bin %> eval merge parts/*.json --report ade.json --html ade-html --html-parts html-1,html-2   # worst and best from the shards' panels",
  ]
  static override strict = false
  static override args = {parts: Args.string({required: true, description: 'partial report files (JSON) of every shard'})}
  static override flags = {...reportFlags, ...htmlFlags, ...htmlPartsFlag}

  async run(): Promise<EvalResult | SuiteResult> {
    const {argv, flags} = await this.parse(EvalMerge)
    const parts = argv as string[]
    if (parts[0] !== undefined && (await isSuiteReportFile(resolve(parts[0])))) return this.mergeSuite(parts, flags)
    const cwd = process.cwd()
    const result = await runMerge(parts, gateSettings(flags), reportTargets(flags, process.env), cwd, htmlTargetOf(flags, cwd, process.env))
    if (!this.jsonEnabled()) this.log(renderTable(result.report, {gates: result.gates}))
    process.exitCode = result.exitCode
    return result
  }

  /** Shards of `dpt eval suite`: the suite's own merge, with column gates. */
  private async mergeSuite(
    parts: string[],
    flags: {report?: string | undefined; csv?: string | undefined; 'fail-if'?: string[] | undefined; baseline?: string | undefined; html?: string | undefined},
  ): Promise<SuiteResult> {
    if (flags.csv !== undefined || flags.baseline !== undefined || flags.html !== undefined) {
      throw new DptError("--csv, --baseline and --html apply to one dataset's report, not to a suite", {
        remedy: 'Merge the suite, then use --report-dir reports per dataset (dpt eval suite); dpt eval report FILE --html DIR renders one of them.',
      })
    }
    const result = await runSuiteMerge(parts, {
      cwd: process.cwd(),
      gates: (flags['fail-if'] ?? []).map(parseColumnGate),
      report: flags.report,
      stepSummary: process.env.GITHUB_STEP_SUMMARY === '' ? undefined : process.env.GITHUB_STEP_SUMMARY,
    })
    if (!this.jsonEnabled()) {
      const skipped = Object.fromEntries(result.suite.datasets.flatMap((d) => (d.status === 'skipped' ? [[d.key, d.reason]] : [])))
      this.log(renderZeroShotText(result.suite.table!, skipped, result.gates))
    }
    process.exitCode = result.exitCode
    return result
  }
}
