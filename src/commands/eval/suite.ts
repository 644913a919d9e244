import {Args, Flags} from '@oclif/core'
import {DptCommand} from '../../cli/base.js'
import {resolveModelFlag} from '../../cli/model-flag.js'
import {evalFlags} from '../../eval/flags.js'
import {EVAL_EXIT_CODES_HELP} from '../../eval/run-eval.js'
import {paperRow, parseColumnGate, renderZeroShotText, ZERO_SHOT_KEYS, type ZeroShotKey} from '../../eval/suite/index.js'
import {runSuite, type SuiteResult} from '../../eval/suite/run-suite.js'
import {modelRunSettings, withEnvDefaults} from '../../flags.js'
import {loadRegistry} from '../../hub/registry.js'
import {DptError} from '../../pipeline/errors.js'
import {parseShard} from '../../pipeline/shard.js'
import {argumentInputs} from '../../pipeline/sources/inputs.js'

export type {SuiteResult}

const {offline, card, dtype, provider, workers, threads, shard} = evalFlags
const {'max-pixels': maxPixels, 'fail-fast': failFast, 'pipeline-nice': pipelineNice, 'graph-optimization': graphOptimization} = evalFlags
const {'mem-pattern': memPattern, 'mem-arena': memArena, 'keep-16bit': keep16bit} = evalFlags
const {'input-size': inputSize, 'strict-provider': strictProvider, 'progress-interval': progressInterval} = evalFlags

/** `--path nyu=./data/nyu` → [nyu, ./data/nyu]. */
function parsePath(value: string): [ZeroShotKey, string] {
  const at = value.indexOf('=')
  const key = ZERO_SHOT_KEYS.find((k) => k === value.slice(0, at).trim().toLowerCase())
  if (at < 1 || key === undefined || value.slice(at + 1).trim() === '') {
    throw new DptError(`Expected --path KEY=DIR with KEY one of ${ZERO_SHOT_KEYS.join(', ')}, got \`${value}\``, {remedy: 'e.g. --path nyu=/data/nyu_depth_v2'})
  }
  return [key, value.slice(at + 1).trim()]
}

export default class EvalSuite extends DptCommand {
  static override summary = "Score a depth model on the DPT paper's zero-shot Table 1 in one run: DIW, ETH3D, Sintel, KITTI, NYU and TUM."
  static override description = `Finds the six datasets under --data-root (or takes --path KEY=DIR), loads the model once, scores each with its
paper protocol (DIW: WHDR; ETH3D, Sintel: AbsRel; KITTI, NYU, TUM: δ>1.25 %), writes one report per dataset and the
combined JSON, and prints the table next to the paper's figures. Missing datasets are listed and skipped.
Gates name a column: --fail-if "nyu>9" (the column's table metric) or --fail-if "diw:whdr>11.5".
${EVAL_EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> eval suite zero-shot --data-root /data --model dpt-hybrid --report-dir reports --report suite.json',
    '<%= config.bin %> eval suite zero-shot --data-root /data --path nyu=/mnt/nyu_depth_v2 --fail-if "nyu>9" --fail-if "kitti>12"',
    '<%= config.bin %> eval suite zero-shot --data-root /data --shard auto/8 --report parts/suite-$SLURM_ARRAY_TASK_ID.json',
  ]
  static override args = {suite: Args.string({options: ['zero-shot'], default: 'zero-shot', description: "the suite: zero-shot (the paper's Table 1)"})}
  static override flags = {
    'data-root': Flags.string({summary: 'Folder holding one folder per dataset (diw, eth3d, sintel, kitti, nyu, tum; usual variants of the names too).'}),
    path: Flags.string({multiple: true, summary: 'One dataset elsewhere: KEY=DIR (repeatable); wins over --data-root.'}),
    model: Flags.string({char: 'm', summary: "Depth model: folder, .onnx with a card, or registry id [default: the registry's depth default]."}),
    'paper-model': Flags.string({summary: "Whose paper row to compare with: dpt-hybrid, dpt-large or midas-v2.1 [default: --model's registry id]."}),
    report: Flags.string({summary: 'Write the combined JSON (every dataset report and the table); with --shard, the partial one to merge.'}),
    'report-dir': Flags.string({summary: 'Write each dataset report as DIR/KEY.json.'}),
    'fail-if': Flags.string({multiple: true, summary: 'Fail (exit 6) when a column crosses a threshold: "nyu>9" or "diw:whdr>11.5" (repeatable).'}),
    shard,
    offline,
    card,
    dtype,
    provider,
    workers,
    threads,
    'max-pixels': maxPixels,
    'fail-fast': failFast,
    'pipeline-nice': pipelineNice,
    'graph-optimization': graphOptimization,
    'mem-pattern': memPattern,
    'mem-arena': memArena,
    'input-size': inputSize,
    'strict-provider': strictProvider,
    'progress-interval': progressInterval,
    'keep-16bit': keep16bit,
  }

  async run(): Promise<SuiteResult> {
    const {flags: typedValues} = await this.parse(EvalSuite)
    const flags = withEnvDefaults(typedValues, this.environment)
    const json = this.jsonEnabled()
    const tty = process.stderr.isTTY && !json
    const log = (line: string): void => {
      this.logToStderr(line)
    }
    const ui = this.progress(flags['progress-interval'])
    try {
      const gates = (flags['fail-if'] ?? []).map(parseColumnGate)
      const paths = Object.fromEntries((flags.path ?? []).map(parsePath))
      const id = flags.model ?? loadRegistry().defaults.depth
      const paperModel = flags['paper-model'] ?? (paperRow(id) === undefined ? null : id)
      if (paperModel !== null && paperRow(paperModel) === undefined) {
        throw new DptError(`--paper-model ${paperModel} has no row in the paper's table`, {remedy: 'Use dpt-hybrid, dpt-large or midas-v2.1.'})
      }
      const modelPath = await resolveModelFlag(flags, 'depth', tty)
      const run = modelRunSettings(argumentInputs([]), {...flags, model: modelPath})
      const result = await runSuite(
        {
          cwd: process.cwd(),
          root: flags['data-root'],
          paths,
          run,
          label: id,
          paperModel,
          shard: flags.shard === undefined ? undefined : parseShard(flags.shard, process.env),
          gates,
          reportDir: flags['report-dir'],
          report: flags.report,
          stepSummary: process.env.GITHUB_STEP_SUMMARY === '' ? undefined : process.env.GITHUB_STEP_SUMMARY,
        },
        {
          ...ui,
          dataset: ({key, status, detail}) => {
            ui.stop()
            if (!json) log(status === 'skipped' ? `${key}: skipped (${detail})` : `${key}: ${detail}`)
          },
        },
      )
      ui.stop()
      if (!json && result.suite.table !== undefined) {
        const skipped = Object.fromEntries(result.suite.datasets.flatMap((d) => (d.status === 'skipped' ? [[d.key, d.reason]] : [])))
        this.log(renderZeroShotText(result.suite.table, skipped, result.gates))
      }
      if (!json && result.suite.partial !== undefined) {
        log(`Partial suite report of shard ${result.suite.partial.shard.index}/${result.suite.partial.shard.count}: merge every shard with dpt eval merge.`)
      }
      process.exitCode = result.exitCode
      return result
    } finally {
      ui.stop()
    }
  }
}
