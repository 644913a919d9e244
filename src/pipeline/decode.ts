import {extname} from 'node:path'
import sharp, {type Metadata} from 'sharp'
import {highByte, type SixteenBitInput} from './sixteen-bit.js'

/**
 * An RGB image as decoded: interleaved HWC, EXIF orientation applied, alpha dropped; 16 bits per channel only
 * when 16-bit files are read in full (--keep-16bit), else 8.
 */
export interface DecodedImage {
  readonly width: number
  readonly height: number
  readonly bitDepth: 8 | 16
  readonly pixels: Uint8Array | Uint16Array
  readonly format: string
}

/** What finishing an image needs of it when its pixels are not kept: size and kind. */
export type ImageInfo = Omit<DecodedImage, 'pixels'> & {readonly pixels?: DecodedImage['pixels']}

/** The image of a run whose sinks or postprocess said they need its pixels; a bug if they were dropped. */
export function withPixels(image: ImageInfo): DecodedImage {
  if (image.pixels === undefined) throw new Error('the decoded pixels were not kept for this run')
  return {...image, pixels: image.pixels}
}

/** The file is not an image sharp can read, and its name does not claim it is one: skipped, not failed. */
export class NotAnImage extends Error {
  constructor(path: string) {
    super(`${path}: not an image`)
    this.name = 'NotAnImage'
  }
}

/** File name endings that claim to be images: an undecodable file with one of them is a broken image. */
const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.png',
  '.webp',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
  '.gif',
  '.bmp',
  '.jp2',
  '.jxl',
  '.ppm',
  '.pgm',
  '.pnm',
  '.exr',
  '.hdr',
  '.svg',
])

const UNSUPPORTED = /unsupported image format|Input buffer contains unsupported/i

/**
 * Decodes the first frame the way the reference reads images (cv2.imread + cvtColor): EXIF orientation applied,
 * alpha dropped without compositing, grey replicated to RGB. 16-bit images become their high byte, as cv2.imread
 * and Pillow read them, unless `sixteenBit` is `full` (sixteen-bit.ts).
 * `maxPixels` guards against decompression bombs: sharp refuses larger images before decoding them.
 */
export async function decodeImage(path: string, data: Uint8Array, maxPixels: number, sixteenBit: SixteenBitInput): Promise<DecodedImage> {
  const claimsImage = IMAGE_EXTENSIONS.has(extname(path).toLowerCase())
  if (data.length === 0) {
    if (claimsImage) throw new Error('empty file')
    throw new NotAnImage(path)
  }
  const options = {limitInputPixels: maxPixels, failOn: 'error' as const, pages: 1, page: 0}
  let meta: Metadata
  try {
    meta = await sharp(data, options).metadata()
  } catch (error) {
    if (UNSUPPORTED.test((error as Error).message) && !claimsImage) {
      throw new NotAnImage(path)
    }
    throw error
  }
  const sixteen = meta.depth === 'ushort'
  const pipeline = sharp(data, options).rotate().removeAlpha()
  const format: string = meta.format
  const {data: raw, info} = await (
    sixteen
      ? pipeline.toColourspace('rgb16').raw({depth: 'ushort'}).toBuffer({resolveWithObject: true})
      : pipeline.toColourspace('srgb').raw().toBuffer({resolveWithObject: true})
  ).catch((error: unknown) => {
    // libvips' own message can be vague ("Unknown error") when decoders run concurrently: say what failed.
    throw new Error(`corrupt or truncated ${format} data (${(error as Error).message})`, {cause: error})
  })
  if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels where 3 were expected`)
  if (!sixteen) return {width: info.width, height: info.height, bitDepth: 8, pixels: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), format}
  const samples = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2)
  if (sixteenBit === 'full') return {width: info.width, height: info.height, bitDepth: 16, pixels: samples, format}
  return {width: info.width, height: info.height, bitDepth: 8, pixels: highByte(samples), format}
}
