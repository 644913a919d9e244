import {Flags} from '@oclif/core'
import {ImageCommand} from '../cli/image-command.js'
import {depthFlagWarnings, modelFlagWarnings, typedFlags} from '../cli/unused-flags.js'
import {EXIT_CODES_HELP, formatFlag, inputsArg, runFlags, shardedGlobalNormalization} from '../flags.js'
import {videoFlags} from '../flags-video.js'
import {DptError} from '../pipeline/errors.js'
import {DEPTH_VIDEO_FORMATS, type DepthVideoFormat} from '../pipeline/sinks/depth-video.js'
import {DEFAULT_EMA} from '../video/stabilize.js'
import {COLORMAPS} from '../pipeline/render/colormap.js'
import {DEPTH_FORMATS, type DepthFormat} from '../pipeline/sinks/depth-files.js'
import {runSheetOf} from '../html/contact/run-sheet.js'
import {htmlFlags} from '../html/flags.js'
import type {ImageTask, RunResult} from '../pipeline/images.js'
import type {DepthPrediction} from '../pipeline/postprocess/depth.js'
import type {RunSettings} from '../pipeline/settings.js'
import {depthTask} from '../pipeline/tasks/depth.js'
import {rangeFlag, rangeWithGlobal, rangeWithVideo} from '../range-flag.js'

export type DepthResult = RunResult

export default class Depth extends ImageCommand {
  static override summary = 'Write a depth map for every image in files, folders (recursive) and globs.'
  static override description = `Images and videos are recognised by content. Outputs mirror each input's path below --output; a
video's frames go to a folder named after it (clip/000000.png …), its encoded videos next to it (clip.depth.mkv).
${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> depth ./imgs -o out                       # the default model (dpt-hybrid), downloaded once',
    '<%= config.bin %> depth ./imgs -o out --model dpt-large --dtype fp16',
    '<%= config.bin %> depth "shots/**/*.jpg" -o out --model m.onnx --format png16,pfm --normalize global',
    '<%= config.bin %> depth ./imgs -o out --model ./dpt --format color --colormap turbo --shard 1/4 --json',
    '<%= config.bin %> depth ./imgs -o out --html sheet       # sheet/index.html: inputs next to outputs, timings, failures',
    'find shots -newer last-run -name "*.jpg" -print0 | <%= config.bin %> depth --null - -o out --base shots --skip-existing',
    '<%= config.bin %> depth ./imgs -o out --format png16,color --range 0,12   # one fixed scale for every image',
    '<%= config.bin %> depth clip.mp4 -o out --format mkv16,mp4 --normalize stable --side-by-side   # lossless + viewable video',
  ]
  static override strict = false
  static override args = inputsArg
  static override flags = {
    ...runFlags,
    ...videoFlags,
    ...htmlFlags,
    format: formatFlag([...DEPTH_FORMATS, ...DEPTH_VIDEO_FORMATS], 'png16'),
    colormap: Flags.option({options: COLORMAPS, default: 'inferno' as const, summary: 'Colormap of the color format.'})(),
    normalize: Flags.option({
      options: ['image', 'global', 'stable'] as const,
      default: 'image' as const,
      summary:
        'Range of png16/png8/color/mkv16/mp4: per image (the reference), one over the whole run (two passes), or stable: per video, each frame aligned to the previous one, the range smoothed (one pass).',
    })(),
    ema: Flags.custom<number>({
      summary: `--normalize stable: weight of the newest frame in the range's moving average, 0 < w ≤ 1 (smaller: steadier, slower) [default: ${DEFAULT_EMA}].`,
      parse: async (value) => {
        const w = Number(value)
        if (!(w > 0 && w <= 1)) throw new Error(`Expected --ema to be a number above 0 and at most 1, got \`${value}\``)
        return w
      },
    })(),
    'metric-scale': Flags.integer({min: 1, summary: "Metric models: 16-bit PNG holds depth × this (KITTI 256, NYU 1000) [default: the card's]."}),
    range: rangeFlag(),
  }

  async run(): Promise<DepthResult> {
    const {argv, flags, metadata} = await this.parse(Depth)
    // --normalize stable is per video (a video is never split across shards), so only global is refused here.
    const split = shardedGlobalNormalization(flags.normalize, flags.shard) ?? rangeWithGlobal(flags.range, flags.normalize)
    if (split !== undefined) throw split
    if (flags.ema !== undefined && flags.normalize !== 'stable')
      throw new DptError('--ema applies to --normalize stable only', {remedy: 'Add --normalize stable, or leave out --ema.'})
    if (flags['side-by-side'] && flags.normalize === 'global') {
      throw new DptError('--side-by-side cannot be used with --normalize global: its frames are written after the last one, when their pixels are gone', {
        remedy: 'Use --normalize stable for steady side-by-side videos.',
      })
    }
    const formats = flags.format.split(',') as (DepthFormat | DepthVideoFormat)[]
    const rangeVideo = rangeWithVideo(flags.range, flags.normalize, formats)
    if (rangeVideo !== undefined) throw rangeVideo
    const typed = typedFlags(flags, metadata)
    const warnings = [...modelFlagWarnings(flags, typed), ...depthFlagWarnings(flags, typed)]
    const sheet = runSheetOf(flags, 'depth', {colormap: flags.colormap, cwd: process.cwd(), env: process.env})
    const task = (settings: RunSettings): ImageTask<DepthPrediction> =>
      depthTask({
        outDir: settings.outDir,
        formats,
        colormap: flags.colormap,
        normalize: flags.normalize,
        range: flags.range,
        emaWeight: flags.ema ?? DEFAULT_EMA,
        metricScale: flags['metric-scale'],
        kernels: settings.kernels,
        crf: flags.crf,
        sideBySide: flags['side-by-side'],
      })
    return this.runTask('depth', argv as string[], flags, warnings, (settings) => sheet?.wrap(task(settings)) ?? task(settings), sheet)
  }
}
