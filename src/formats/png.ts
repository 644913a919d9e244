import sharp from 'sharp'

/**
 * 8-bit PNGs through sharp, written (png8, color, segmentation maps) and read (label maps); the 16-bit depth PNG
 * has its own encoder (png16.ts).
 * Fixed encoder settings, so the same pixels always give the same bytes (sharp writes no timestamp).
 * zlib level 1 without row filters: writing must not steal the CPU inference needs (2 cores, one image a second or
 * two). Compression never changes pixel values.
 */
const PNG_OPTIONS = {compressionLevel: 1, adaptiveFiltering: false, palette: false, progressive: false} as const

type Channels = 1 | 3 | 4

/** Width and height positive integers, and exactly width × height × channels values. */
export function checkSize(what: string, length: number, width: number, height: number, channels: Channels): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Expected ${what} width and height to be positive integers, got ${width}×${height}`)
  }
  if (length !== width * height * channels) {
    throw new RangeError(`Expected ${what} data of ${width}×${height}×${channels} = ${width * height * channels} values, got ${length}`)
  }
}

/** Single-channel 8-bit grey PNG (colour type 0); `toColourspace('b-w')` stops sharp writing three channels. */
export async function encodePng8Grey(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  checkSize('8-bit grey PNG', data.length, width, height, 1)
  return sharp(data, {raw: {width, height, channels: 1}})
    .toColourspace('b-w')
    .png(PNG_OPTIONS)
    .toBuffer()
}

/** 8-bit RGB PNG from interleaved RGB bytes (colour type 2). */
export async function encodePngRgb(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  checkSize('RGB PNG', data.length, width, height, 3)
  return sharp(data, {raw: {width, height, channels: 3}})
    .png(PNG_OPTIONS)
    .toBuffer()
}

/** 8-bit RGBA PNG from interleaved RGBA bytes (colour type 6, alpha kept even when fully opaque). */
export async function encodePngRgba(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  checkSize('RGBA PNG', data.length, width, height, 4)
  return sharp(data, {raw: {width, height, channels: 4}})
    .png(PNG_OPTIONS)
    .toBuffer()
}

/** A single-channel image as stored: 16-bit samples for depth PNGs, 8-bit for label maps. */
export interface GreyImage<T extends Uint8Array | Uint16Array> {
  readonly width: number
  readonly height: number
  readonly values: T
}

/**
 * An 8-bit label map (ADE20K annotations, dpt segment's `labels` output): one class id per pixel. Palette or
 * RGB PNGs are refused: sharp would expand them to colours, and colours are not class ids.
 */
export async function readLabelPng(path: string): Promise<GreyImage<Uint8Array>> {
  const image = sharp(path, {limitInputPixels: false})
  const meta = await image.metadata()
  if (meta.depth !== 'uchar') throw new Error(`expected an 8-bit label PNG, got ${meta.depth} samples`)
  if (meta.isPalette || meta.channels - (meta.hasAlpha ? 1 : 0) !== 1) {
    throw new Error(`expected a single-channel (greyscale) label PNG, got ${meta.isPalette ? 'a palette' : `${meta.channels} channels`}`)
  }
  const {data, info} = await image.extractChannel(0).raw().toBuffer({resolveWithObject: true})
  return {width: info.width, height: info.height, values: new Uint8Array(data.buffer, data.byteOffset, data.byteLength)}
}
