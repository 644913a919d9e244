import sharp from 'sharp'

/** A single-channel image as stored: 16-bit samples for depth PNGs, 8-bit for label maps. */
export interface GreyImage<T extends Uint8Array | Uint16Array> {
  readonly width: number
  readonly height: number
  readonly values: T
}

/**
 * A 16-bit single-channel PNG (depth in mm for NYU, ×256 for KITTI, ×5000 for TUM) as its raw integers.
 * sharp hands back 8-bit sRGB unless asked for grey16 + ushort (REFERENCE §7), so the bit depth is checked
 * first: an 8-bit file read as 16 bits would be scaled by 257 without a word.
 */
export async function readPng16(path: string): Promise<GreyImage<Uint16Array>> {
  const image = sharp(path, {limitInputPixels: false})
  const meta = await image.metadata()
  if (meta.depth !== 'ushort') throw new Error(`expected a 16-bit depth PNG, got ${meta.depth === 'uchar' ? '8' : meta.depth} bits per sample`)
  if (meta.channels - (meta.hasAlpha ? 1 : 0) !== 1) throw new Error(`expected a single-channel depth PNG, got ${meta.channels} channels`)
  const {data, info} = await image.toColourspace('grey16').raw({depth: 'ushort'}).toBuffer({resolveWithObject: true})
  const values = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
  if (values.length !== info.width * info.height) throw new Error(`decoded ${values.length} samples for ${info.width}×${info.height}`)
  return {width: info.width, height: info.height, values}
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
