import {Flags} from '@oclif/core'
import {ImageCommand} from '../cli/image-command.js'
import {invalidFlag} from '../cli/invalid.js'
import {modelFlagWarnings, segmentFlagWarnings, typedFlags} from '../cli/unused-flags.js'
import {segmentTask} from '../pipeline/tasks/segment.js'
import {EXIT_CODES_HELP, formatFlag, inputsArg, runFlags} from '../flags.js'
import {runSheetOf} from '../html/contact/run-sheet.js'
import {htmlFlags} from '../html/flags.js'
import type {ImageTask, RunResult} from '../pipeline/images.js'
import type {SegmentPrediction} from '../pipeline/postprocess/segment.js'
import type {RunSettings} from '../pipeline/settings.js'
import {SEGMENT_FORMATS, type SegmentFormat} from '../pipeline/sinks/segment-files.js'
import {SEGMENT_VIDEO_FORMATS, type SegmentVideoFormat} from '../pipeline/sinks/segment-video.js'
import {videoFlags} from '../flags-video.js'

export type SegmentResult = RunResult

export default class Segment extends ImageCommand {
  static override summary = 'Write an ADE20K class map for every image in files, folders (recursive) and globs.'
  static override description = `Logits are upsampled to the image size and argmax-ed exactly as the model's reference does.
${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> segment ./imgs -o out --model ./dpt-hybrid-ade20k',
    '<%= config.bin %> segment ./imgs -o out                     # the default model once imported (dpt models info dpt-hybrid-ade20k)',
    '<%= config.bin %> segment ./imgs -o out --model m.onnx --format labels,color,json --label-offset 0',
    '<%= config.bin %> segment ./imgs -o out --html sheet     # sheet/index.html: inputs next to class maps, class legend',
    '<%= config.bin %> segment @todo.txt -o out --base ./imgs    # the paths listed in todo.txt, one per line',
    '<%= config.bin %> segment clip.mp4 -o out --format labels-mkv,overlay-mp4   # lossless labels + viewable overlay',
  ]
  static override strict = false
  static override args = inputsArg
  static override flags = {
    ...runFlags,
    ...videoFlags,
    ...htmlFlags,
    format: formatFlag([...SEGMENT_FORMATS, ...SEGMENT_VIDEO_FORMATS], 'labels,overlay'),
    'label-offset': Flags.option({
      options: ['1', '0'] as const,
      default: '1' as const,
      summary: 'Label map values: 1 writes ADE ids 1..150 (0 never written), 0 writes 0..149.',
    })(),
    alpha: Flags.custom<number>({
      summary: 'Overlay weight of the class colour, 0..1 (the reference blends 0.5).',
      default: 0.5,
      parse: async (value) => {
        const alpha = Number(value)
        if (value.trim() === '' || !(alpha >= 0 && alpha <= 1)) throw invalidFlag('alpha', 'a number from 0 to 1', value)
        return alpha
      },
    })(),
  }

  async run(): Promise<SegmentResult> {
    const {argv, flags, metadata} = await this.parse(Segment)
    const typed = typedFlags(flags, metadata)
    const warnings = [...modelFlagWarnings(flags, typed), ...segmentFlagWarnings(flags, typed)]
    const sheet = runSheetOf(flags, 'segment', {cwd: process.cwd(), env: process.env})
    const task = (settings: RunSettings): ImageTask<SegmentPrediction> =>
      segmentTask({
        outDir: settings.outDir,
        formats: flags.format.split(',') as (SegmentFormat | SegmentVideoFormat)[],
        labelOffset: flags['label-offset'] === '0' ? 0 : 1,
        alpha: flags.alpha,
        crf: flags.crf,
        sideBySide: flags['side-by-side'],
      })
    return this.runTask('segmentation', argv as string[], flags, warnings, (settings) => sheet?.wrap(task(settings)) ?? task(settings), sheet)
  }
}
