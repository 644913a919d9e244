import {random} from '../../test/helpers/random.js'

/**
 * Synthetic "relative depth predictions" of a video, with known static pixels, for the flicker benchmark:
 * true disparity of a scene (a ground plane nearer at the bottom, smooth relief, optionally a near disc that
 * crosses the frame in the middle half of the clip), then per frame what a relative-depth network does
 * wrong in time: an unknown scale and shift (independent per frame) and noise.
 */
export interface SyntheticOptions {
  readonly width: number
  readonly height: number
  readonly frames: number
  readonly seed: number
  /** Standard deviation of the log of the per-frame scale (0.1 ≈ ±10 %). */
  readonly scaleJitter: number
  /** Standard deviation of the per-frame shift, as a fraction of the true disparity range. */
  readonly shiftJitter: number
  /** Standard deviation of per-pixel noise, as a fraction of the true disparity range. */
  readonly noise: number
  /**
   * Fraction of pixels per frame (at random places) with a gross error of 20–50 % of the range either way:
   * the isolated wild values networks produce at depth edges, in the sky or on reflections. They set the
   * per-frame min and max, which is what makes per-frame normalisation flicker.
   */
  readonly outliers: number
  /** A near object crossing the frame (changes the per-frame range while it is in view). */
  readonly movingObject: boolean
}

export interface SyntheticFrame {
  readonly raw: Float32Array
  /** 1 where the pixel shows the same scene point as in the previous frame (the object covers neither). */
  readonly isStatic: Uint8Array
}

/** Standard normal deviates (Box–Muller) from a uniform generator. */
function gaussian(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
}

/** The true disparity of the static scene, in [0.1, 1]. */
function background(width: number, height: number): Float32Array {
  const out = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const relief = 0.08 * Math.sin((x / width) * 9) * Math.cos((y / height) * 5)
      out[y * width + x] = 0.1 + 0.7 * (y / height) ** 1.5 + relief + 0.1
    }
  }
  return out
}

/** Which pixels the crossing disc covers in frame t (none outside the middle half of the clip). */
function discAt(o: SyntheticOptions, t: number): Uint8Array {
  const cover = new Uint8Array(o.width * o.height)
  const [from, to] = [o.frames / 4, (3 * o.frames) / 4]
  if (!o.movingObject || t < from || t >= to) return cover
  const radius = o.height / 6
  const cx = -radius + ((t - from) / (to - from)) * (o.width + 2 * radius)
  const cy = o.height / 2
  for (let y = 0; y < o.height; y++) {
    for (let x = 0; x < o.width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2) cover[y * o.width + x] = 1
  }
  return cover
}

export function* syntheticSequence(o: SyntheticOptions): Generator<SyntheticFrame> {
  const scene = background(o.width, o.height)
  const normal = gaussian(random(o.seed))
  const trueRange = 1.2 - 0.1
  const uniform = random(o.seed + 1000)
  let previousCover: Uint8Array = new Uint8Array(o.width * o.height)
  for (let t = 0; t < o.frames; t++) {
    const cover = discAt(o, t)
    const scale = Math.exp(o.scaleJitter * normal())
    const shift = o.shiftJitter * trueRange * normal()
    const raw = new Float32Array(o.width * o.height)
    const isStatic = new Uint8Array(o.width * o.height)
    for (let i = 0; i < raw.length; i++) {
      const truth = cover[i] === 1 ? 1.2 : scene[i]!
      raw[i] = scale * truth + shift + o.noise * trueRange * normal()
      isStatic[i] = cover[i] === 0 && previousCover[i] === 0 ? 1 : 0
    }
    for (let k = Math.round(o.outliers * raw.length); k > 0; k--) {
      const i = Math.floor(uniform() * raw.length)
      raw[i] = raw[i]! + (uniform() < 0.5 ? -1 : 1) * (0.2 + 0.3 * uniform()) * trueRange * scale
    }
    previousCover = cover
    yield {raw, isStatic}
  }
}
