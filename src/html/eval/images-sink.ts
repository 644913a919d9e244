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
  /**
   * Bytes of candidates' pixels held in memory instead of written at once (default 256 MiB): most candidates are
   * pushed out again by later images, and one held in memory costs a copy, not eight image files.
   */
  readonly memoryBudget?: number
  /** Segmentation: class names and palette (entry k + 1 colours class k). */
  readonly classNames?: readonly string[]
  readonly palette?: Palette
}

/** A candidate kept in memory: copies of what it was scored on (the pipeline may reuse its buffers). */
interface Held {
  readonly image: ScoredImage
  readonly pixels: RgbImage | undefined
  readonly bytes: number
}

/**
 * The image panels of the worst and best images of an evaluation, chosen in one pass (`Scorer.onScored` →
 * `offer`) without keeping every image. An image that enters the current N worst or N best is kept: a copy of
 * its pixels while the candidates fit in `memoryBudget`, else its files are written at once from them. An
 * image pushed out of both lists is dropped (its copy freed, or its files deleted). `finish` writes the files of
 * the candidates still in memory: with images of ordinary size only the 2N final images are ever written.
 * Which images remain does not depend on the order they arrive in (ties by id); how many candidates come and go
 * does (≈ N·(1 + ln(images/N)) per list for a random order).
 */
export class EvalImagesSink {
  readonly metric: MetricInfo
  private readonly extremes: Extremes
  private readonly limits: RasterLimits
  private readonly written = new Map<string, Promise<PanelSet>>()
  private readonly held = new Map<string, Held>()
  private heldBytes = 0
  private readonly removals: Promise<void>[] = []
  /** How many images got files (evicted ones included), and how many were kept in memory for a while. */
  writes = 0
  holds = 0

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
    const bytes = sizeOf(image, pixels)
    if (this.heldBytes + bytes <= (this.options.memoryBudget ?? DEFAULT_BUDGET)) {
      this.held.set(image.record.id, {image: copyScored(image), pixels: pixels === undefined ? undefined : {...pixels, data: pixels.data.slice()}, bytes})
      this.heldBytes += bytes
      this.holds++
      return
    }
    await this.startWrite(image, pixels)
  }

  /** Waits for every write and deletion, then writes `assets/manifest.json` for the report's run. */
  async finish(report: Pick<EvalReport, 'dataset' | 'model' | 'protocol'>): Promise<AssetManifest> {
    // Two at a time: sharp encodes on its own threads, and each write holds one image's pictures.
    const waiting = [...this.held.values()]
    this.held.clear()
    this.heldBytes = 0
    const next = async (): Promise<void> => {
      for (let h = waiting.pop(); h !== undefined; h = waiting.pop()) await this.startWrite(h.image, h.pixels)
    }
    await Promise.all([next(), next()])
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

  private startWrite(image: ScoredImage, pixels: RgbImage | undefined): Promise<PanelSet> {
    const job = this.write(image, pixels)
    this.written.set(image.record.id, job)
    this.writes++
    return job
  }

  private evict(id: string): void {
    const held = this.held.get(id)
    if (held !== undefined) {
      this.held.delete(id)
      this.heldBytes -= held.bytes
      return
    }
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

const DEFAULT_BUDGET = 256 * 2 ** 20

/** Bytes a held candidate takes: its ground truth, prediction and decoded pixels (none when the image is read from its file later). */
function sizeOf(image: ScoredImage, pixels: RgbImage | undefined): number {
  const picture = pixels?.data.byteLength ?? 0
  if (image.task === 'depth') return image.gt.depth.byteLength + (image.gt.valid?.byteLength ?? 0) + image.prediction.data.byteLength + picture
  return image.gt.labels.byteLength + image.prediction.byteLength + picture
}

/** A scored image with its own copies of the arrays. */
function copyScored(image: ScoredImage): ScoredImage {
  if (image.task === 'depth') {
    const {gt, prediction} = image
    const valid = gt.valid === undefined ? {} : {valid: gt.valid.slice()}
    return {...image, gt: {...gt, depth: gt.depth.slice(), ...valid}, prediction: {...prediction, data: prediction.data.slice()}}
  }
  return {...image, gt: {...image.gt, labels: image.gt.labels.slice()}, prediction: image.prediction.slice()}
}
