import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Args, Command, Flags} from '@oclif/core'
import {benchGates, BENCH_GATES} from '../bench/gates.js'
import {benchInputs, parseSizes} from '../bench/inputs.js'
import {renderMarkdown, renderTable} from '../bench/render.js'
import {runBench, type BenchResult} from '../bench/run.js'
import {handleRunError} from '../command-errors.js'
import {resolveModelFlag} from '../command-run.js'
import {runFlags, runSettings} from '../flags.js'
import {parseGate} from '../eval/report/index.js'
import {taskOf} from '../model/hf-config.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {progressEvents} from '../ui/progress.js'

const {output: _output, 'skip-existing': _skip, overwrite: _overwrite, 'fail-fast': _failFast, shard: _shard, ...modelFlags} = runFlags

export default class Bench extends Command {
  static override summary = 'Measure a model on the real pipeline: images/s, latency, time per stage, memory, FLOPs.'
  static override description = `Runs decode → preprocess → inference → postprocess → write (into a scratch folder, removed afterwards)
over the given images, or over generated photo-like JPEGs at --sizes when none are given, and reports images/s,
latency p50/p95/p99, the split by stage, peak RSS, FLOPs per image (counted by onnxruntime's profiler at every
network input size, outside the timing) and the GFLOP/s reached. With $GITHUB_STEP_SUMMARY set, a Markdown
table is appended to it.`
  static override examples = [
    '<%= config.bin %> bench --images 20 --sizes 1920x1080                   # the default depth model',
    '<%= config.bin %> bench --model ./dpt-hybrid --images 20 --sizes 1920x1080',
    '<%= config.bin %> bench ./photos --model ./dpt-hybrid --dtype q8 --json > bench.json',
  ]
  static override enableJsonFlag = true
  static override strict = false
  static override args = {inputs: Args.string({required: false, description: 'image files, folders or globs (default: generated images)'})}
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
    const {argv, flags} = await this.parse(Bench)
    const json = this.jsonEnabled()
    const ui = progressEvents(process.stderr.isTTY && !json, (line) => {
      this.logToStderr(line)
    })
    const scratch = mkdtempSync(join(tmpdir(), 'dpt-bench-'))
    try {
      const gates = (flags['fail-if'] ?? []).map((gate) => parseGate(gate, BENCH_GATES))
      const inputs = await benchInputs(argv as string[], {count: flags.images, sizes: parseSizes(flags.sizes), scratch, cwd: process.cwd()})
      const model = await resolveModelFlag(flags, flags.task ?? 'depth', process.stderr.isTTY && !json)
      const run = runSettings(inputs.files, {
        ...flags,
        model,
        output: join(scratch, 'out'),
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
      const measured = await runBench({run, task, source: inputs.source}, ui)
      ui.stop()
      const result: BenchResult = {...measured, gates: benchGates(measured, gates)}
      const markdown = renderMarkdown(result)
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown + '\n')
      if (flags.markdown !== undefined) writeFileSync(flags.markdown, markdown + '\n')
      if (!json) this.log(renderTable(result))
      process.exitCode = result.exitCode !== ExitCode.ok ? result.exitCode : result.gates.every((g) => g.passed) ? ExitCode.ok : ExitCode.gateFailed
      return result
    } catch (error) {
      ui.stop()
      return handleRunError(this, error)
    } finally {
      rmSync(scratch, {recursive: true, force: true})
    }
  }
}
