import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {benchGates, BENCH_GATES} from '../bench/gates.js'
import {benchInputs, parseSizes} from '../bench/inputs.js'
import {renderMarkdown, renderTable} from '../bench/render.js'
import {runBench, type BenchResult} from '../bench/run.js'
import {DptCommand} from '../cli/base.js'
import {inputSpec} from '../cli/image-command.js'
import {resolveModelFlag} from '../cli/model-flag.js'
import {benchFlagWarnings, modelFlagWarnings, typedFlags} from '../cli/unused-flags.js'
import {runFlags, runSettings, withEnvDefaults} from '../flags.js'
import {parseGate} from '../eval/report/index.js'
import {taskOf} from '../model/hf-config.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {argumentInputs} from '../pipeline/sources/inputs.js'

const {output: _output, 'skip-existing': _skip, overwrite: _overwrite, 'fail-fast': _failFast, shard: _shard, base: _base, ...modelFlags} = runFlags

export default class Bench extends DptCommand {
  static override summary = 'Measure a model on the real pipeline: images/s, latency, time per stage, memory, FLOPs.'
  static override description = `Runs decode → preprocess → inference → postprocess → write (into a scratch folder, removed afterwards)
over the given images, or over generated photo-like JPEGs at --sizes when none are given, and reports images/s,
latency p50/p95/p99, the split by stage, peak RSS, FLOPs per image (counted by onnxruntime's profiler at every
network input size, outside the timing) and the GFLOP/s reached. With $GITHUB_STEP_SUMMARY set, a Markdown
table is appended to it.
Exit codes: 0 measured; 1 internal error; 2 bad usage; 3 some images failed; 4 model error; 5 no images found; 6 a --fail-if gate failed; 8 disk full or read-only; 130 interrupted.`
  static override examples = [
    '<%= config.bin %> bench --images 20 --sizes 1920x1080                   # the default depth model',
    '<%= config.bin %> bench --model ./dpt-hybrid --images 20 --sizes 1920x1080',
    '<%= config.bin %> bench ./photos --model ./dpt-hybrid --dtype q8 --json > bench.json',
  ]
  static override strict = false
  static override args = {
    inputs: Args.string({
      required: false,
      description: 'image files, folders or globs; - reads paths from stdin, @FILE from a list (default: generated images)',
    }),
  }
  static override flags = {
    ...modelFlags,
    images: Flags.integer({min: 1, summary: 'How many images [default: 20 generated, or every input].'}),
    sizes: Flags.string({summary: 'Sizes of generated images, W×H, cycled.', default: '1920x1080'}),
    task: Flags.option({options: ['depth', 'segmentation'] as const, summary: "The model's task [default: from its card or config.json]."})(),
    markdown: Flags.string({summary: 'Also write the Markdown summary to this file.'}),
    'fail-if': Flags.string({
      multiple: true,
      summary: 'Exit 6 when a figure compares true, e.g. "images_per_s<0.5", "p95>4000", "peak_rss_mb>3000" (repeatable).',
    }),
  }

  async run(): Promise<BenchResult> {
    const {argv, flags: typedValues, metadata} = await this.parse(Bench)
    const typed = typedFlags(typedValues, metadata)
    const flags = withEnvDefaults(typedValues, this.environment)
    const json = this.jsonEnabled()
    for (const warning of [...modelFlagWarnings(typedValues, typed), ...benchFlagWarnings(argv as string[], typed)]) this.warning(warning)
    const ui = this.progress(flags['progress-interval'])
    const scratch = mkdtempSync(join(tmpdir(), 'dpt-bench-'))
    try {
      const gates = (flags['fail-if'] ?? []).map((gate) => parseGate(gate, BENCH_GATES))
      const spec = await inputSpec(argv as string[], {...flags, base: undefined})
      const inputs = await benchInputs(spec, {count: flags.images, sizes: parseSizes(flags.sizes), scratch, cwd: process.cwd()})
      for (const warning of inputs.warnings) this.warning(warning)
      const model = await resolveModelFlag(flags, flags.task ?? 'depth', process.stderr.isTTY && !json)
      const run = runSettings(argumentInputs(inputs.files), {
        ...flags,
        model,
        output: join(scratch, 'out'),
        base: undefined,
        'skip-existing': false,
        overwrite: true,
        'fail-fast': false,
        shard: undefined,
      })
      const task = flags.task ?? run.model.card?.task ?? taskOf((run.model.hf?.config['architectures'] as string[] | undefined) ?? [])
      if (task === undefined) {
        throw new DptError(`Cannot tell whether ${run.model.name} is a depth or a segmentation model`, {
          exitCode: ExitCode.model,
          remedy: 'Pass --task depth or --task segmentation.',
        })
      }
      const measured = await runBench(
        {run, task, source: inputs.source},
        {
          ...ui,
          warning: (text) => {
            this.warning(text)
          },
        },
      )
      ui.stop()
      const gated = benchGates(measured, gates)
      // The JSON's exitCode is the process's: a failed gate (6) after a clean run.
      const exitCode = measured.exitCode !== ExitCode.ok ? measured.exitCode : gated.every((g) => g.passed) ? ExitCode.ok : ExitCode.gateFailed
      const result: BenchResult = {...measured, gates: gated, warnings: [...this.warnings], exitCode}
      const markdown = renderMarkdown(result)
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown + '\n')
      if (flags.markdown !== undefined) writeFileSync(flags.markdown, markdown + '\n')
      if (!json) this.log(renderTable(result))
      process.exitCode = exitCode
      return result
    } finally {
      ui.stop()
      rmSync(scratch, {recursive: true, force: true})
    }
  }
}
