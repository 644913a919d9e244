import {DptCommand} from '../../cli/base.js'
import {resolveModelFlag} from '../../cli/model-flag.js'
import {evalFlagWarnings, typedFlags} from '../../cli/unused-flags.js'
import {evalFlags} from '../../eval/flags.js'
import {htmlTargetOf} from '../../html/eval/html-target.js'
import {htmlFlags, htmlImagesFlag} from '../../html/flags.js'
import {EVAL_EXIT_CODES_HELP, runEval, type EvalResult} from '../../eval/run-eval.js'
import {renderTable} from '../../eval/report/index.js'
import {evalSettings, isSegmentation} from '../../eval/settings.js'
import {withEnvDefaults} from '../../flags.js'

export type {EvalResult}

export default class Eval extends DptCommand {
  static override summary = "Score a model (or saved predictions) on a dataset with the paper's metrics and protocols."
  static override description = `Depth: AbsRel, SqRel, RMSE, RMSE log, log10, SILog (BTS and Depth Anything), δ1–δ3, δ>1.25 %, per image and averaged.
Segmentation: pixAcc, mIoU (mmseg), mIoU over all classes (PyTorch-Encoding), mAcc, per-class IoU/accuracy.
Point pairs (DIW, --gt-format pairs): WHDR %, the pairs whose predicted order disagrees with the annotation.
The protocol (alignment, cap, valid range, crops; reduce-zero-label, scales, flip) defaults to the dataset's reference one and is printed with the results.
${EVAL_EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> eval --dataset ade20k --data ./ADEChallengeData2016 --model ./dpt-hybrid-ade20k --report ade.json',
    '<%= config.bin %> eval --dataset nyu --data ./nyu --model ./dpt-hybrid --fail-if "deltaAbove125Pct>9"',
    '<%= config.bin %> eval --dataset nyu --data ./nyu --predictions ./out --alignment scale-shift-disparity',
    '<%= config.bin %> eval --dataset diw --data ./DIW --model dpt-hybrid --fail-if "whdr>11.5"',
    '<%= config.bin %> eval --dataset ade20k --data ./ADE --model ./dpt-ade --shard auto/8 --report parts/$JOB_COMPLETION_INDEX.json',
    '<%= config.bin %> eval --dataset ade20k --data ./ADE --model ./dpt-ade --report ade.json --html ade-html --baseline last.json',
  ]
  static override flags = {...evalFlags, ...htmlFlags, ...htmlImagesFlag}

  async run(): Promise<EvalResult> {
    const {flags: typedValues, metadata} = await this.parse(Eval)
    for (const warning of evalFlagWarnings(typedValues, typedFlags(typedValues, metadata))) this.warning(warning)
    // DPT_MODEL is a default for model runs only: scoring saved predictions ignores it.
    const env = typedValues.predictions === undefined ? this.environment : {...this.environment, model: undefined}
    const flags = withEnvDefaults(typedValues, env)
    const json = this.jsonEnabled()
    const ui = this.progress(flags['progress-interval'])
    try {
      const tty = process.stderr.isTTY && !json
      const model = flags.model === undefined ? undefined : await resolveModelFlag(flags, isSegmentation(flags) ? 'segmentation' : 'depth', tty)
      const result = await runEval(evalSettings({...flags, model}, process.env), ui, htmlTargetOf(flags, process.cwd(), process.env))
      ui.stop()
      if (!json) {
        this.log(renderTable(result.report, {gates: result.gates}))
        for (const note of result.notes) this.logToStderr(`note: ${note}`)
      }
      process.exitCode = result.exitCode
      return {...result, warnings: [...this.warnings]}
    } finally {
      ui.stop()
    }
  }
}
