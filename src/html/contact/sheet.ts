import {mkdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import sharp from 'sharp'
import {DptError, messageOf} from '../../pipeline/errors.js'
import {colormapLut, type ColormapName} from '../../pipeline/render/colormap.js'
import {writeFileAtomic} from '../../pipeline/sinks/atomic.js'
import {ASSETS_DIR} from '../assets/image-assets.js'
import type {RgbImage} from '../assets/rgb.js'
import type {Palette} from '../assets/segment-panels.js'
import {slugOf} from '../assets/slug.js'
import {writeContactPages} from './pages.js'
import {classThumb, depthThumb, thumbSize} from './thumbs.js'
import type {ContactEntry, ContactSheetData} from './types.js'

export interface ContactSheetOptions {
  readonly dir: string
  readonly task: 'depth' | 'segmentation'
  readonly title: string
  /** Rows per page (default 100): a page holds 2 × pageSize thumbnails whatever the run's size. */
  readonly pageSize?: number
  /** Longest side of a thumbnail (default 192). */
  readonly thumbMaxSide?: number
  readonly jpegQuality?: number
  /** Depth: the thumbnails' colour map (default inferno), and whether larger values are nearer (disparity). */
  readonly colormap?: ColormapName
  readonly nearIsLarge?: boolean
  /** Depth: the unit of the output values ('relative disparity', 'm'). */
  readonly unit?: string
  /** Segmentation: class names and palette (entry k + 1 colours class k). */
  readonly classNames?: readonly string[]
  readonly palette?: Palette
}

/** Classes listed per row. */
const ROW_CLASSES = 4

/**
 * The contact sheet of a `dpt depth` / `dpt segment` run, fed image by image: thumbnails of the input and of
 * the output (never larger than `thumbMaxSide`), timings and failures; `finish` writes `sheet.json` and the
 * pages, `pageSize` rows each, so that a run of 10,000 images opens one light page at a time. Memory: one small
 * record per image; pixels only while an image's thumbnails are made.
 */
export class ContactSheet {
  private readonly entries: ContactEntry[] = []
  /** Where each input's entry is in `entries`: `amend` completes an entry after the run. */
  private readonly index = new Map<string, number>()
  private readonly maxSide: number
  private readonly quality: number

  constructor(private readonly options: ContactSheetOptions) {
    this.maxSide = options.thumbMaxSide ?? 192
    this.quality = options.jpegQuality ?? 80
  }

  /** An input without pixels to show (failed, skipped). */
  add(entry: ContactEntry): void {
    this.put(entry)
  }

  /**
   * What is known of an input only once the run ends (its stage timings, its files, a failure in a later sink):
   * laid over its entry, or a new entry for an input that never got thumbnails.
   */
  amend(input: string, patch: Omit<ContactEntry, 'input' | 'thumbs'>): void {
    const at = this.index.get(input)
    this.put(at === undefined ? {input, ...patch} : {...this.entries[at]!, ...patch})
  }

  private put(entry: ContactEntry): void {
    const at = this.index.get(entry.input)
    if (at === undefined) {
      this.index.set(entry.input, this.entries.length)
      this.entries.push(entry)
    } else this.entries[at] = entry
  }

  /** A depth output: `values` at the input's size (disparity or metres, as the run wrote them). */
  async addDepth(entry: ContactEntry, image: RgbImage | string, values: Float32Array, width: number, height: number): Promise<void> {
    const lut = colormapLut(this.options.colormap ?? 'inferno')
    const thumb = depthThumb(values, width, height, this.maxSide, lut, this.options.nearIsLarge ?? true)
    const thumbs = await this.writeThumbs(entry.input, image, thumb.image, 'jpg')
    this.put({...entry, width, height, thumbs, range: {min: thumb.min, max: thumb.max}})
  }

  /** A segmentation output: class indices 0..n−1 at the input's size. */
  async addSegment(entry: ContactEntry, image: RgbImage | string, classes: Uint8Array | Int32Array, width: number, height: number): Promise<void> {
    const thumb = classThumb(classes, width, height, this.maxSide, this.options.palette ?? [])
    const thumbs = await this.writeThumbs(entry.input, image, thumb.image, 'png')
    const top = [...thumb.shares].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, ROW_CLASSES)
    this.put({...entry, width, height, thumbs, classes: top})
  }

  /** Writes `sheet.json` and the pages; returns the pages' paths, first page first. */
  async finish(summary: readonly string[] = []): Promise<string[]> {
    const {dir, task, title} = this.options
    const sorted = [...this.entries].sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0))
    const data: ContactSheetData = {
      schema: 'dpt-contact-sheet',
      version: 1,
      task,
      title,
      summary,
      pageSize: this.options.pageSize ?? 100,
      ...(task === 'depth'
        ? {depth: {colormap: this.options.colormap ?? 'inferno', unit: this.options.unit ?? 'relative', nearIsLarge: this.options.nearIsLarge ?? true}}
        : {classes: {names: this.options.classNames ?? [], colours: (this.options.palette ?? []).slice(1)}}),
      entries: sorted,
    }
    await mkdir(dir, {recursive: true})
    await writeFileAtomic(join(dir, SHEET_JSON), Buffer.from(`${JSON.stringify(data)}\n`))
    return writeContactPages(dir, data)
  }

  private async writeThumbs(input: string, image: RgbImage | string, output: RgbImage, ext: 'jpg' | 'png'): Promise<NonNullable<ContactEntry['thumbs']>> {
    const base = `${ASSETS_DIR}/${slugOf(input)}`
    const paths = {input: `${base}.in.jpg`, output: `${base}.out.${ext}`}
    await mkdir(join(this.options.dir, ASSETS_DIR), {recursive: true})
    const size = thumbSize(output.width, output.height, this.maxSide)
    const source = typeof image === 'string' ? sharp(image).rotate() : sharp(image.data, {raw: {width: image.width, height: image.height, channels: 3}})
    const out = sharp(output.data, {raw: {width: output.width, height: output.height, channels: 3}})
    try {
      await Promise.all([
        source
          .removeAlpha()
          .toColourspace('srgb')
          .resize(size.width, size.height, {fit: 'fill'})
          .jpeg({quality: this.quality})
          .toFile(join(this.options.dir, paths.input)),
        (ext === 'jpg' ? out.jpeg({quality: this.quality}) : out.png({compressionLevel: 9})).toFile(join(this.options.dir, paths.output)),
      ])
    } catch (error) {
      throw new DptError(`Cannot write the contact sheet's thumbnails of ${input}: ${messageOf(error)}`, {cause: error})
    }
    return {...paths, ...size}
  }
}

export const SHEET_JSON = 'sheet.json'

/** Renders the pages again from a sheet folder's `sheet.json` (e.g. after changing dpt's page layout). */
export async function renderContactSheet(dir: string): Promise<string[]> {
  let data: Partial<ContactSheetData>
  try {
    data = JSON.parse(await readFile(join(dir, SHEET_JSON), 'utf8')) as Partial<ContactSheetData>
  } catch (error) {
    throw new DptError(`${join(dir, SHEET_JSON)} is not a contact sheet's data: ${messageOf(error)}`, {
      cause: error,
      remedy: 'Pass the folder a run wrote with --html.',
    })
  }
  if (data.schema !== 'dpt-contact-sheet' || data.version !== 1) {
    throw new DptError(`${join(dir, SHEET_JSON)} is not a version 1 contact sheet.`, {remedy: 'Render it with the dpt version that wrote it.'})
  }
  return writeContactPages(dir, data as ContactSheetData)
}
