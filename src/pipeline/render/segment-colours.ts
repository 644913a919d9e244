import type {DecodedImage} from '../decode.js'

type Palette = readonly (readonly [number, number, number])[]

/** Interleaved RGB of class indices (0-based): class k has the palette entry of ADE id k + 1, whatever the label offset. */
export function colorize(indices: Uint8Array, palette: Palette): Uint8Array {
  const lut = new Uint8Array(256 * 3)
  palette.slice(1).forEach(([r, g, b], k) => {
    lut.set([r, g, b], k * 3)
  })
  const out = new Uint8Array(indices.length * 3)
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]! * 3
    out[i * 3] = lut[k]!
    out[i * 3 + 1] = lut[k + 1]!
    out[i * 3 + 2] = lut[k + 2]!
  }
  return out
}

/** The image's 8-bit RGB (16-bit samples, read in full under --keep-16bit, to the nearest 8-bit value). */
function rgb8(image: DecodedImage): Uint8Array {
  if (image.bitDepth === 8) return image.pixels as Uint8Array
  return Uint8Array.from(image.pixels as Uint16Array, (v) => Math.round(v / 257))
}

/**
 * The reference overlay (DPT util/io.py write_segm_img): PIL Image.blend(image, colour, alpha) on RGBA, i.e. per
 * channel trunc(image + alpha·(colour − image)) in float32, alpha channel 255. alpha 0.5 is floor((image + colour)/2).
 */
export function overlay(image: DecodedImage, colours: Uint8Array, alpha: number): Uint8Array {
  const base = rgb8(image)
  const a = Math.fround(alpha)
  const pixels = image.width * image.height
  const out = new Uint8Array(pixels * 4)
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < 3; c++) {
      const x = base[i * 3 + c]!
      out[i * 4 + c] = Math.trunc(Math.fround(x + Math.fround(a * (colours[i * 3 + c]! - x))))
    }
    out[i * 4 + 3] = 255
  }
  return out
}

export interface ClassShare {
  readonly id: number
  readonly name: string
  readonly pixels: number
  readonly share: number
}

/** Every class present, with its pixel count and share of the image, largest first (ties by id). */
export function classShares(indices: Uint8Array, names: readonly string[], offset: number): ClassShare[] {
  const counts = new Float64Array(256)
  for (let i = 0; i < indices.length; i++) counts[indices[i]!]!++
  const shares: ClassShare[] = []
  counts.forEach((n, k) => {
    if (n > 0) shares.push({id: k + offset, name: names[k] ?? `class ${k}`, pixels: n, share: n / indices.length})
  })
  return shares.sort((a, b) => b.pixels - a.pixels || a.id - b.id)
}
