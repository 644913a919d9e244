import {Command, Flags} from '@oclif/core'
import {handleRunError} from '../command-errors.js'
import {runImageCommand} from '../command-run.js'
import type {ValueRange} from '../kernels/depth-scale.js'
import {DptError} from '../pipeline/errors.js'
import {EXIT_CODES_HELP, formatFlag, inputsArg, runFlags} from '../flags.js'
import {COLORMAPS} from '../pipeline/render/colormap.js'
import {DEPTH_FORMATS, type DepthFormat} from '../pipeline/sinks/depth-files.js'
import type {RunResult} from '../pipeline/images.js'
import {depthTask} from '../pipeline/tasks/depth.js'

export type DepthResult = RunResult

export default class Depth extends Command {
  static override summary = 'Write a depth map for every image in files, folders (recursive) and globs.'
  static override description = `Images are recognised by content. Outputs mirror each input's path below --output.
${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> depth ./imgs -o out                       # the default model (dpt-hybrid), downloaded once',
    '<%= config.bin %> depth ./imgs -o out --model dpt-large --dtype fp16',
    '<%= config.bin %> depth "shots/**/*.jpg" -o out --model m.onnx --format png16,pfm --normalize global',
    '<%= config.bin %> depth ./imgs -o out --model ./dpt --format color --colormap turbo --shard 1/4 --json',
    '<%= config.bin %> depth ./imgs -o out --format png16,color --range 0,12   # one fixed scale for every image',
  ]
  static override enableJsonFlag = true
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
    range: Flags.custom<ValueRange>({
      summary: 'MIN,MAX of the model values png16/png8/color map to 0..top, for every image (values outside clamp).',
      helpValue: 'MIN,MAX',
      parse: async (value) => {
        const [min, max, ...rest] = value.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)))
        if (rest.length > 0 || !Number.isFinite(min) || !Number.isFinite(max) || !(min! < max!)) {
          throw new Error(`Expected --range to be MIN,MAX with finite numbers MIN < MAX, got \`${value}\``)
        }
        return {min: min!, max: max!}
      },
    })(),
  }

  async run(): Promise<DepthResult> {
    const {argv, flags} = await this.parse(Depth)
    if (flags.range !== undefined && flags.normalize === 'global') {
      handleRunError(this, new DptError('--range and --normalize global both choose the min/max of the normalised formats', {remedy: 'Pass one of them.'}))
    }
    return runImageCommand(this, 'depth', argv as string[], flags, (settings) =>
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
