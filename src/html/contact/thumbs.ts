import type {RgbImage} from '../assets/rgb.js'
import type {Palette} from '../assets/segment-panels.js'

/** The size of a thumbnail of a width × height image whose longest side is at most `maxSide` (never enlarged). */
export function thumbSize(width: number, height: number, maxSide: number): {width: number; height: number} {
  const scale = Math.min(1, maxSide / Math.max(width, height))
  return {width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale))}
}

/** Source index of each thumbnail pixel: the nearest pixel (centres aligned), so a class map keeps its classes. */
function nearest(width: number, height: number, to: {width: number; height: number}): Uint32Array {
  const out = new Uint32Array(to.width * to.height)
  for (let y = 0; y < to.height; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / to.height))
    for (let x = 0; x < to.width; x++) out[y * to.width + x] = sy * width + Math.min(width - 1, Math.floor(((x + 0.5) * width) / to.width))
  }
  return out
}

/**
 * A depth or disparity map's thumbnail in a colour map, normalised over the whole map's finite range as
 * `dpt depth --format color` normalises (min–max per image); `nearIsLarge` for disparity (near bright either way).
 * Only the thumbnail's pixels are coloured. Returns the range it normalised over.
 */
export function depthThumb(
  values: Float32Array,
  width: number,
  height: number,
  maxSide: number,
  lut: Uint8Array,
  nearIsLarge: boolean,
): {image: RgbImage; min: number; max: number} {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  const size = thumbSize(width, height, maxSide)
  const index = nearest(width, height, size)
  const data = new Uint8Array(index.length * 3)
  const span = max > min ? max - min : 1
  for (let i = 0; i < index.length; i++) {
    const v = values[index[i]!]!
    const t = Number.isFinite(v) ? (v - min) / span : 0
    const k = Math.round(255 * (nearIsLarge ? t : 1 - t)) * 3
    data.set(lut.subarray(k, k + 3), i * 3)
  }
  return {image: {...size, data}, min, max}
}

/** A class map's thumbnail in the palette (class k: entry k + 1), and every class's share of the whole map. */
export function classThumb(
  classes: Uint8Array | Int32Array,
  width: number,
  height: number,
  maxSide: number,
  palette: Palette,
): {image: RgbImage; shares: Map<number, number>} {
  const counts = new Map<number, number>()
  for (const c of classes) counts.set(c, (counts.get(c) ?? 0) + 1)
  const shares = new Map([...counts].map(([c, n]) => [c, n / classes.length]))
  const size = thumbSize(width, height, maxSide)
  const index = nearest(width, height, size)
  const data = new Uint8Array(index.length * 3)
  for (let i = 0; i < index.length; i++) data.set(palette[classes[index[i]!]! + 1] ?? [0, 0, 0], i * 3)
  return {image: {...size, data}, shares}
}
