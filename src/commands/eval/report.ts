import {Args} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {reportFlags} from '../../eval/flags.js'
import {EVAL_EXIT_CODES_HELP, runSavedReport, type EvalResult} from '../../eval/run-eval.js'
import {renderTable} from '../../eval/report/index.js'
import {gateSettings, reportTargets} from '../../eval/settings.js'
import {htmlTargetOf} from '../../html/eval/html-target.js'
import {htmlFlags} from '../../html/flags.js'

export default class EvalReport extends DptCommand {
  static override summary = 'Render a saved `dpt eval --report` JSON again without scoring: the table, gates, CSV and the HTML report (--html).'
  static override description = `The JSON report is the source of truth: every metric, chart and per-image table of the HTML report comes from it.
The worst and best images' panels need the images as they were scored: they are drawn only during a run (dpt eval --html DIR). Rendering into that same DIR keeps them (DIR/assets/manifest.json names the run they belong to); in any other folder, or for a report of another run, the page says they were not saved.
With --baseline, the page shows each metric's difference, coloured by the metric's direction, and DIR/compare.html compares the two runs class by class and image by image.
${EVAL_EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> eval report ade.json --html ade-html',
    '<%= config.bin %> eval report ade.json --html ade-html --baseline last-week.json --max-regression mIoU=0.5',
  ]
  static override args = {report: Args.string({required: true, description: 'a report written by dpt eval --report or dpt eval merge --report'})}
  static override flags = {...reportFlags, ...htmlFlags}

  async run(): Promise<EvalResult> {
    const {args, flags} = await this.parse(EvalReport)
    const cwd = process.cwd()
    const result = await runSavedReport(args.report, gateSettings(flags), reportTargets(flags, process.env), cwd, htmlTargetOf(flags, cwd, process.env))
    if (!this.jsonEnabled()) this.log(renderTable(result.report, {gates: result.gates}))
    process.exitCode = result.exitCode
    return result
  }
}
