import {Flags} from '@oclif/core'
import {ImageCommand} from '../cli/image-command.js'
import {depthFlagWarnings, modelFlagWarnings, typedFlags} from '../cli/unused-flags.js'
import {EXIT_CODES_HELP, formatFlag, inputsArg, runFlags, shardedGlobalNormalization} from '../flags.js'
import {COLORMAPS} from '../pipeline/render/colormap.js'
import {DEPTH_FORMATS, type DepthFormat} from '../pipeline/sinks/depth-files.js'
import type {RunResult} from '../pipeline/images.js'
import {depthTask} from '../pipeline/tasks/depth.js'
import {rangeFlag, rangeWithGlobal} from '../range-flag.js'

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
    'find shots -newer last-run -name "*.jpg" -print0 | <%= config.bin %> depth --null - -o out --base shots --skip-existing',
    '<%= config.bin %> depth ./imgs -o out --format png16,color --range 0,12   # one fixed scale for every image',
  ]
  static override strict = false
  static override args = inputsArg
  static override flags = {
    ...runFlags,
    format: formatFlag(DEPTH_FORMATS, 'png16'),
    colormap: Flags.option({options: COLORMAPS, default: 'inferno' as const, summary: 'Colormap of the color format.'})(),
    normalize: Flags.option({
      options: ['image', 'global'] as const,
      default: 'image' as const,
      summary: 'Min/max for png16/png8/color: per image (the reference) or one over the whole run (no flicker across video frames).',
    })(),
    'metric-scale': Flags.integer({min: 1, summary: "Metric models: 16-bit PNG holds depth × this (KITTI 256, NYU 1000) [default: the card's]."}),
    range: rangeFlag(),
  }

  async run(): Promise<DepthResult> {
    const {argv, flags, metadata} = await this.parse(Depth)
    const split = shardedGlobalNormalization(flags.normalize, flags.shard) ?? rangeWithGlobal(flags.range, flags.normalize)
    if (split !== undefined) throw split
    const typed = typedFlags(flags, metadata)
    const warnings = [...modelFlagWarnings(flags, typed), ...depthFlagWarnings(flags, typed)]
    return this.runTask('depth', argv as string[], flags, warnings, (settings) =>
      depthTask({
        outDir: settings.outDir,
        formats: flags.format.split(',') as DepthFormat[],
        colormap: flags.colormap,
        normalize: flags.normalize,
        range: flags.range,
        metricScale: flags['metric-scale'],
        kernels: settings.kernels,
      }),
    )
  }
}
