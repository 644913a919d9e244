import {resolve} from 'node:path'
import type {ModelCard} from '../../model/card.js'
import type {ImageTask, RunResult} from '../../pipeline/images.js'
import type {DepthPrediction} from '../../pipeline/postprocess/depth.js'
import type {SegmentPrediction} from '../../pipeline/postprocess/segment.js'
import {ADE20K_CLASSES, ADE20K_PALETTE} from '../../pipeline/render/ade20k.js'
import type {ColormapName} from '../../pipeline/render/colormap.js'
import type {Sink, SinkItem} from '../../pipeline/sink.js'
import type {FileSample} from '../../pipeline/sources/files.js'
import {isFrame} from '../../pipeline/sources/video-job.js'
import {rgb8Of} from '../../pipeline/sinks/depth-video.js'
import type {RgbImage} from '../assets/rgb.js'
import {shownPath} from '../eval/eval-html.js'
import type {HtmlFlagValues} from '../flags.js'
import {appendHtmlSummary} from '../summary.js'
import {ContactSheet} from './sheet.js'

export interface RunSheetOptions {
  /** The sheet's folder (--html), absolute. */
  readonly dir: string
  readonly command: 'depth' | 'segment'
  /** Depth: the colour map of the output thumbnails (the run's --colormap). */
  readonly colormap?: ColormapName
  /** --html-artifact, and the environment the job summary is read from. */
  readonly artifact: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
}

type Output = DepthPrediction | SegmentPrediction

/** What the input thumbnail is made from: the image file, or a video frame's pixels as 8-bit RGB. */
function inputOf(item: SinkItem<FileSample, Output>): RgbImage | string {
  if (!isFrame(item.sample) || item.image === undefined) return item.sample.path
  return {width: item.image.width, height: item.image.height, data: rgb8Of(item.image)}
}

/**
 * `dpt depth|segment --html DIR`: the contact sheet as one more sink of the run. Each output's thumbnails are
 * made while the run goes (the input's from its file, the output's from the prediction before the sink returns);
 * `finish` lays each image's stage timings, files and failures from the run's result over its row, writes the
 * pages and names them in the job summary.
 */
export class RunContactSheet {
  private sheet: ContactSheet | undefined

  constructor(readonly options: RunSheetOptions) {}

  /** The task with the sheet's sink after its own (a sample whose files failed never reaches it). */
  wrap<P extends Output>(task: ImageTask<P>): ImageTask<P> {
    return {
      ...task,
      create: (card) => {
        const made = task.create(card)
        const sheet = this.open(card)
        const sink: Sink<FileSample, P> = {
          // A video frame's input thumbnail comes from its decoded pixels (its file is the video); an image's from its file.
          needsPixels: true,
          async consume(item) {
            const {sample, prediction: p} = item
            const entry = {input: sample.label, status: 'ok' as const}
            const input = inputOf(item)
            if (p.task === 'depth') await sheet.addDepth(entry, input, p.values, p.width, p.height)
            else await sheet.addSegment(entry, input, p.classes, p.width, p.height)
            return []
          },
        }
        return {...made, sinks: [...made.sinks, sink]}
      },
    }
  }

  /** Writes the pages; returns their paths, the first page first. */
  async finish(result: RunResult, summary: readonly string[]): Promise<string[]> {
    const sheet = this.sheet ?? this.open(result.model.card)
    for (const r of result.images) sheet.amend(r.input, {status: 'ok', ms: {...r.ms}, outputs: r.outputs})
    for (const f of result.failures) sheet.amend(f.input, {status: 'failed', error: f.reason})
    for (const input of result.notImages) sheet.amend(input, {status: 'skipped', error: 'not an image'})
    const pages = await sheet.finish(summary)
    const kind = 'contact sheet'
    const {artifact, env, cwd} = this.options
    await appendHtmlSummary(env, {kind, page: shownPath(cwd, pages[0]!), ...(artifact === undefined ? {} : {artifact})})
    return pages
  }

  private open(card: ModelCard): ContactSheet {
    const {dir, command, colormap} = this.options
    const metric = card.semantics === 'metric-depth'
    this.sheet = new ContactSheet({
      dir,
      task: command === 'depth' ? 'depth' : 'segmentation',
      title: `dpt ${command} · ${card.name}`,
      ...(command === 'depth'
        ? {colormap: colormap ?? 'inferno', nearIsLarge: !metric, unit: metric ? 'm' : 'relative inverse depth'}
        : {classNames: card.labels ?? ADE20K_CLASSES, palette: ADE20K_PALETTE}),
    })
    return this.sheet
  }
}

/** --html of dpt depth / segment; undefined without it. */
export function runSheetOf(
  flags: HtmlFlagValues,
  command: 'depth' | 'segment',
  options: {readonly colormap?: ColormapName; readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>>},
): RunContactSheet | undefined {
  if (flags.html === undefined) return undefined
  return new RunContactSheet({dir: resolve(options.cwd, flags.html), command, artifact: flags['html-artifact'], ...options})
}
