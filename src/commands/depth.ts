import {Flags} from '@oclif/core'
import {ImageCommand} from '../cli/image-command.js'
import {depthFlagWarnings, modelFlagWarnings, typedFlags} from '../cli/unused-flags.js'
import {EXIT_CODES_HELP, formatFlag, inputsArg, runFlags, shardedGlobalNormalization} from '../flags.js'
import {COLORMAPS} from '../pipeline/render/colormap.js'
import {DEPTH_FORMATS, type DepthFormat} from '../pipeline/sinks/depth-files.js'
import {runSheetOf} from '../html/contact/run-sheet.js'
import {htmlFlags} from '../html/flags.js'
import type {ImageTask, RunResult} from '../pipeline/images.js'
import type {DepthPrediction} from '../pipeline/postprocess/depth.js'
import type {RunSettings} from '../pipeline/settings.js'
import {depthTask} from '../pipeline/tasks/depth.js'

export type DepthResult = RunResult

export default class Depth extends ImageCommand {
  static override summary = 'Write a depth map for every image in files, folders (recursive) and globs.'
  static override description = `Images are recognised by content. Outputs mirror each input's path below --output.
${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> depth ./imgs -o out                       # the default model (dpt-hybrid), downloaded once',
    '<%= config.bin %> depth ./imgs -o out --model dpt-large --dtype fp16',
    '<%= config.bin %> depth "shots/**/*.jpg" -o out --model m.onnx --format png16,pfm --normalize global',
    '<%= config.bin %> depth ./imgs -o out --model ./dpt --format color --colormap turbo --shard 1/4 --json',
    '<%= config.bin %> depth ./imgs -o out --html sheet       # sheet/index.html: inputs next to outputs, timings, failures',
    'find shots -newer last-run -name "*.jpg" -print0 | <%= config.bin %> depth --null - -o out --base shots --skip-existing',
  ]
  static override strict = false
  static override args = inputsArg
  static override flags = {
    ...runFlags,
    ...htmlFlags,
    format: formatFlag(DEPTH_FORMATS, 'png16'),
    colormap: Flags.option({options: COLORMAPS, default: 'inferno' as const, summary: 'Colormap of the color format.'})(),
    normalize: Flags.option({
      options: ['image', 'global'] as const,
      default: 'image' as const,
      summary: 'Min/max for png16/png8/color: per image (the reference) or one over the whole run (no flicker across video frames).',
    })(),
    'metric-scale': Flags.integer({min: 1, summary: "Metric models: 16-bit PNG holds depth × this (KITTI 256, NYU 1000) [default: the card's]."}),
  }

  async run(): Promise<DepthResult> {
    const {argv, flags, metadata} = await this.parse(Depth)
    const split = shardedGlobalNormalization(flags.normalize, flags.shard)
    if (split !== undefined) throw split
    const typed = typedFlags(flags, metadata)
    const warnings = [...modelFlagWarnings(flags, typed), ...depthFlagWarnings(flags, typed)]
    const sheet = runSheetOf(flags, 'depth', {colormap: flags.colormap, cwd: process.cwd(), env: process.env})
    const task = (settings: RunSettings): ImageTask<DepthPrediction> =>
      depthTask({
        outDir: settings.outDir,
        formats: flags.format.split(',') as DepthFormat[],
        colormap: flags.colormap,
        normalize: flags.normalize,
        metricScale: flags['metric-scale'],
        kernels: settings.kernels,
      })
    return this.runTask('depth', argv as string[], flags, warnings, (settings) => sheet?.wrap(task(settings)) ?? task(settings), sheet)
  }
}
