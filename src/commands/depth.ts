import {Args, Command, Flags} from '@oclif/core'
import {handleRunError} from '../command-errors.js'
import {runFlags, runSettings} from '../flags.js'
import {DEPTH_FORMATS, type DepthFormat} from '../pipeline/depth/outputs.js'
import {depthPlan} from '../pipeline/depth/processor.js'
import {runImages, type RunResult} from '../pipeline/run.js'
import {COLORMAPS} from '../pipeline/write/colormap.js'
import {progressEvents} from '../ui/progress.js'
import {summaryLines} from '../ui/summary.js'

export type DepthResult = RunResult

export default class Depth extends Command {
  static override summary = 'Write a depth map for every image in files, folders (recursive) and globs.'
  static override description = `Images are recognised by content. Outputs mirror each input's path below --output.
Exit codes: 0 all written; 2 bad usage; 3 some images failed; 4 model error; 5 no images found; 130 interrupted.`
  static override examples = [
    '<%= config.bin %> depth ./imgs -o out --model ./models/dpt-hybrid',
    '<%= config.bin %> depth "shots/**/*.jpg" -o out --model m.onnx --format png16,pfm --normalize global',
    '<%= config.bin %> depth ./imgs -o out --model ./dpt --format color --colormap turbo --shard 1/4 --json',
  ]
  static override enableJsonFlag = true
  static override strict = false
  static override args = {inputs: Args.string({required: true, description: 'image files, folders or glob patterns'})}
  static override flags = {
    ...runFlags,
    format: Flags.string({
      summary: `Comma-separated outputs: ${DEPTH_FORMATS.join(', ')}.`,
      default: 'png16',
      parse: async (value) => parseFormats(value),
    }),
    colormap: Flags.option({options: COLORMAPS, default: 'inferno' as const, summary: 'Colormap of the color format.'})(),
    normalize: Flags.option({
      options: ['image', 'global'] as const,
      default: 'image' as const,
      summary: 'Min/max for png16/png8/color: per image (the reference) or one over the whole run (no flicker across video frames).',
    })(),
    'metric-scale': Flags.integer({min: 1, summary: 'Metric models: 16-bit PNG holds depth × this (KITTI 256, NYU 1000) [default: the card\'s].'}),
  }

  async run(): Promise<DepthResult> {
    const {argv, flags} = await this.parse(Depth)
    const ui = progressEvents(process.stderr.isTTY === true && !this.jsonEnabled(), (line) => this.logToStderr(line))
    try {
      const settings = runSettings(argv as string[], flags)
      const plan = depthPlan({
        outDir: settings.outDir,
        formats: flags.format.split(',') as DepthFormat[],
        colormap: flags.colormap,
        normalize: flags.normalize,
        metricScale: flags['metric-scale'],
      })
      const result = await runImages(settings, plan, ui)
      ui.stop()
      if (!this.jsonEnabled()) for (const line of summaryLines(result, flags.output)) this.logToStderr(line)
      process.exitCode = result.exitCode
      return result
    } catch (error) {
      ui.stop()
      return handleRunError(this, error)
    }
  }
}

function parseFormats(value: string): string {
  const formats = value.split(',').map((f) => f.trim()).filter((f) => f !== '')
  const unknown = formats.filter((f) => !(DEPTH_FORMATS as readonly string[]).includes(f))
  if (formats.length === 0 || unknown.length > 0) {
    throw new Error(`Expected --format to be a comma-separated list of ${DEPTH_FORMATS.join(', ')}, got \`${value}\``)
  }
  return [...new Set(formats)].join(',')
}
