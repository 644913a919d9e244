import sharp from 'sharp'
import {DptError, messageOf} from '../../pipeline/errors.js'

/** 8-bit RGB, interleaved, row-major: what every panel is drawn from. */
export interface RgbImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/**
 * The image to show, decoded as the pipeline sees it (EXIF orientation applied, alpha dropped, grey and 16-bit
 * brought to 8-bit sRGB), and resized to `size` when it is given and differs (panels line up pixel for pixel).
 * Decoded pixels pass through unless they need resizing.
 */
export async function loadRgb(source: string | RgbImage, size?: {readonly width: number; readonly height: number}): Promise<RgbImage> {
  if (typeof source !== 'string' && (size === undefined || (source.width === size.width && source.height === size.height))) return source
  try {
    let image = typeof source === 'string' ? sharp(source).rotate() : sharp(source.data, {raw: {width: source.width, height: source.height, channels: 3}})
    image = image.removeAlpha().toColourspace('srgb')
    if (size !== undefined) image = image.resize(size.width, size.height, {fit: 'fill'})
    const {data, info} = await image.raw().toBuffer({resolveWithObject: true})
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`)
    return {width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length)}
  } catch (error) {
    const what = typeof source === 'string' ? source : `a ${source.width}×${source.height} image`
    throw new DptError(`Cannot decode ${what} for the HTML report: ${messageOf(error)}`, {cause: error})
  }
}
