import {mkdir} from 'node:fs/promises'
import type {MetricInfo} from '../../eval/report/metric-catalog.js'
import type {ScoredImage} from '../../eval/predict-score.js'
import type {EvalProtocol, EvalReport} from '../../eval/types.js'
import {removeAssets, writeDepthPanels, writeKeys, writeSegmentPanels, type PanelSet} from '../assets/image-assets.js'
import {DEFAULT_LIMITS, type RasterLimits} from '../assets/raster.js'
import {loadRgb, type RgbImage} from '../assets/rgb.js'
import type {Palette} from '../assets/segment-panels.js'
import {Extremes} from './extremes.js'
import {runIdentity, writeManifest, type AssetManifest} from './manifest.js'
import {badness, rankingMetric} from './rank.js'

export interface EvalImagesOptions {
  /** The site folder; images go to its `assets/` folder. */
  readonly siteDir: string
  readonly protocol: EvalProtocol
  /** How many worst and how many best images get panels (default 8 each). */
  readonly count?: number
  /** The per-image metric they are ranked by (default absRel for depth, mIoU for segmentation). */
  readonly rankBy?: string
  readonly limits?: Partial<RasterLimits>
  /** Segmentation: class names and palette (entry k + 1 colours class k). */
  readonly classNames?: readonly string[]
  readonly palette?: Palette
}

/**
 * The image panels of the worst and best images of an evaluation, chosen in one pass (`Scorer.onScored` →
 * `offer`): an image that enters the current N worst or N best gets its files at once, from the pixels it was
 * scored on, and an image pushed out of both lists has its files deleted. Only 2N images' files remain, and
 * pixels are held only while an image's files are written. Which images remain does not depend on the order
 * they arrive in (ties by id); how many files were written on the way does (≈ N·ln(images/N) per list for a
 * random order).
 */
export class EvalImagesSink {
  readonly metric: MetricInfo
  private readonly extremes: Extremes
  private readonly limits: RasterLimits
  private readonly written = new Map<string, Promise<PanelSet>>()
  private readonly removals: Promise<void>[] = []
  /** How many images got files, evicted ones included (the cost of one-pass selection). */
  writes = 0

  constructor(private readonly options: EvalImagesOptions) {
    this.metric = rankingMetric(options.protocol, options.rankBy)
    this.extremes = new Extremes(options.count ?? 8)
    this.limits = {...DEFAULT_LIMITS, ...options.limits}
  }

  /**
   * One scored image. `pixels` is the decoded input when the caller has it; otherwise the image file is decoded
   * here, and only when the image is kept. Resolves when its files are written (back-pressure for the caller).
   */
  async offer(image: ScoredImage, pixels?: RgbImage): Promise<void> {
    const value = badness(image.record, this.metric)
    if (value === null) return
    const {kept, evicted} = this.extremes.offer({id: image.record.id, badness: value})
    for (const id of evicted) this.evict(id)
    if (!kept) return
    const job = this.write(image, pixels)
    this.written.set(image.record.id, job)
    this.writes++
    await job
  }

  /** Waits for every write and deletion, then writes `assets/manifest.json` for the report's run. */
  async finish(report: Pick<EvalReport, 'dataset' | 'model' | 'protocol'>): Promise<AssetManifest> {
    await Promise.all(this.removals)
    const {siteDir} = this.options
    const images = await Promise.all([...this.written.values()].map(async (job) => writeKeys(siteDir, await job)))
    const manifest: AssetManifest = {
      schema: 'dpt-html-assets',
      version: 1,
      run: runIdentity(report),
      rankedBy: {metric: this.metric.name, label: this.metric.label, better: this.metric.better},
      worst: this.extremes.worst().map((r) => r.id),
      best: this.extremes.best().map((r) => r.id),
      images: images.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    }
    await mkdir(siteDir, {recursive: true})
    await writeManifest(siteDir, manifest)
    return manifest
  }

  private evict(id: string): void {
    const job = this.written.get(id)
    if (job === undefined) return
    this.written.delete(id)
    this.removals.push(job.then((assets) => removeAssets(this.options.siteDir, assets.folder)))
  }

  private async write(image: ScoredImage, pixels: RgbImage | undefined): Promise<PanelSet> {
    const {siteDir, protocol} = this.options
    const size = {width: image.gt.width, height: image.gt.height}
    const rgb = await loadRgb(pixels ?? image.sample.image, size)
    if (image.task === 'depth') {
      if (protocol.task !== 'depth') throw new Error('a depth image offered to a segmentation report')
      const fit = {scale: image.record.scale, shift: image.record.shift}
      return writeDepthPanels(siteDir, {id: image.record.id, image: rgb, gt: image.gt, prediction: image.prediction, protocol, fit}, this.limits)
    }
    if (protocol.task !== 'segment') throw new Error('a segmentation image offered to a depth report')
    return writeSegmentPanels(
      siteDir,
      {
        id: image.record.id,
        image: rgb,
        labels: image.gt.labels,
        prediction: image.prediction,
        ...size,
        protocol,
        classNames: this.options.classNames ?? [],
        palette: this.options.palette ?? [],
      },
      this.limits,
    )
  }
}
