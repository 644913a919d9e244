import {fitScaleShift} from '../eval/metrics/alignment.js'

/**
 * Temporal stabilisation of relative depth (disparity up to an unknown scale and shift per frame) for video.
 *
 * Every mode yields, per frame, an affine map from the model's raw values to the normalised [0, 1] that the
 * 16-bit PNG, the lossless video and the colour maps are made from: n = scale · raw + offset (clamp to [0, 1]).
 *
 * - per frame (the reference): each frame's own min and max. Affine-invariant, but the range follows the
 *   extreme pixels, which come and go with the content: the brightness of everything else jumps (flicker).
 * - global (two passes, `--normalize global`): one min and max over the whole clip. No range jumps, but the
 *   model's own frame-to-frame scale/shift wobble passes straight through, and it needs the clip twice.
 * - one pass (OnePassStabilizer): each frame is aligned to a running reference, then mapped with a range that
 *   moves slowly. Method:
 *   1. Samples: the means of a fixed grid of about `samples` cells (CellGrid; deterministic, the same cells
 *      every frame). Cell means rather than single pixels: see CellGrid for why (camera motion).
 *   2. Alignment: scale s and shift t taking the frame's samples onto the reference's by least squares (the
 *      closed-form 2×2 the MiDaS/DPT evaluation uses, src/eval/metrics/alignment.ts), made symmetric (#fit:
 *      the plain slope is biased low by noise and motion, and the bias compounds along the chain), then
 *      fitted again on the samples whose residuals are not among the largest `trim` fraction (moving objects,
 *      occlusion edges, the model's failures). The aligned frame is a = s · raw + t.
 *   3. Reference: the aligned samples of the previous frame. The previous frame rather than the first one or
 *      an average of many: it keeps working while the camera moves and the scene changes, and the trimmed fit
 *      ignores what moved. Being a chain, the aligned values may drift slowly in scale over a long clip,
 *      which step 4 absorbs.
 *   4. Range: the aligned frame's min and max, smoothed over time by an exponential moving average,
 *      lo ← lo + w · (min − lo) (same for hi), with w = `emaWeight` (1 = no smoothing; smaller = steadier,
 *      slower to follow real range changes). The map is n = (a − lo) / (hi − lo), i.e. scale = s / (hi − lo),
 *      offset = (t − lo) / (hi − lo); values beyond the smoothed range clamp to 0 or 1.
 *   Limits: a scene cut (or a frame the fit cannot align: determinant ≤ 0, a negative scale, or trimmed
 *   residuals above `cutResidual` of the reference's range) restarts the chain: the frame is mapped onto the
 *   current smoothed range by its own min and max, and becomes the new reference. Camera motion of a
 *   sizeable part of a cell per frame decorrelates the paired cells and leaves alignment noise (bench:flicker
 *   part b-dry: about 1.6·10⁻³ of the range per frame on a 4-px/frame pan of a detailed picture at 320×180);
 *   `pairing: 'quantiles'` pairs cells by rank instead, which motion does not disturb but new content does.
 *   Metric models (depth in metres) need none of this: their values are consistent already, and a fixed
 *   range (e.g. 0 to the maximum depth) is the right map for them.
 */

/**
 * The one-pass mode's EMA weight of the newest frame's range by default: bench:flicker's trade-off between
 * steadiness (per unit of contrast, 16.0·10⁻³ against 29.2 at 0.1 on its synthetic part, the same on the
 * random-weight model's pan) and following a real change of range (a time constant of about 33 frames, a second
 * at 30 frames/s).
 */
export const DEFAULT_EMA = 0.03

/** normalised = scale · raw + offset. */
export interface AffineMap {
  readonly scale: number
  readonly offset: number
}

/** What the one-pass stabiliser did with a frame. */
export interface StabilizedFrame {
  readonly map: AffineMap
  /** The alignment onto the reference: aligned = scale · raw + shift. */
  readonly alignment: {readonly scale: number; readonly shift: number}
  /** Root mean square of the kept residuals, in units of the reference's range. */
  readonly residual: number
  /** True for the first frame and after a detected cut (the chain restarted). */
  readonly restarted: boolean
}

export interface StabilizerOptions {
  /** EMA weight of the newest frame's range, in (0, 1]; default DEFAULT_EMA. */
  readonly emaWeight?: number
  /** Fraction of the samples with the largest residuals left out of the second fit; default 0.2. */
  readonly trim?: number
  /** About this many grid cells (samples) per frame; default 4096. */
  readonly samples?: number
  /** Trimmed RMS residual (relative to the reference's range) above which a frame counts as a cut; default 0.25. */
  readonly cutResidual?: number
  /**
   * 'symmetric' (default): the geometric mean of the least-squares slopes of frame on reference and of
   * reference on frame; 'least-squares': the first alone (see #fit).
   */
  readonly fit?: 'symmetric' | 'least-squares'
  /**
   * 'cells' (default): cell i of the frame is paired with cell i of the reference (same place).
   * 'quantiles': the frame's sorted cell means are paired with the reference's by rank (a Q–Q fit): blind to
   * where things are, so camera motion does not disturb it, but a change of content does.
   */
  readonly pairing?: 'cells' | 'quantiles'
}

/** Min and max of the finite values (0, 0 when there are none). */
export function rangeOf(values: Float32Array): {min: number; max: number} {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v < min && v !== -Infinity) min = v
    if (v > max && v !== Infinity) max = v
  }
  return min <= max ? {min, max} : {min: 0, max: 0}
}

/** The k-th smallest value (0-based) of `values`, which it reorders (Hoare's selection, O(n) on average). */
function select(values: Float64Array, k: number): number {
  let [lo, hi] = [0, values.length - 1]
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!
    let [i, j] = [lo, hi]
    while (i <= j) {
      while (values[i]! < pivot) i++
      while (values[j]! > pivot) j--
      if (i <= j) {
        const t = values[i]!
        values[i++] = values[j]!
        values[j--] = t
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else break
  }
  return values[k]!
}

/** The map of a range onto [0, 1] (all zeros when it is empty), as per-frame and global normalisation use. */
export function rangeMap(min: number, max: number): AffineMap {
  const span = max - min
  return span > 0 ? {scale: 1 / span, offset: -min / span} : {scale: 0, offset: 0}
}

/** The reference's per-frame normalisation as a map. */
export const perFrameMap = (raw: Float32Array): AffineMap => {
  const {min, max} = rangeOf(raw)
  return rangeMap(min, max)
}

/** Two-pass bookkeeping: one range over every frame seen (first pass), one map for all (second pass). */
export class GlobalRange {
  #min = Infinity
  #max = -Infinity
  add(raw: Float32Array): void {
    const {min, max} = rangeOf(raw)
    if (min < this.#min) this.#min = min
    if (max > this.#max) this.#max = max
  }
  map(): AffineMap {
    return this.#min <= this.#max ? rangeMap(this.#min, this.#max) : {scale: 0, offset: 0}
  }
}

/**
 * A fixed grid of about `count` cells over the frame. A frame is summarised by its cell means (and its min
 * and max) in one pass: means of cells rather than single pixels, because a pixel and the same pixel one
 * frame later show different scene points as soon as the camera moves, which pulls a least-squares slope
 * toward 0 (regression dilution: measured on a 4-px/frame pan of a detailed picture, single pixels made the
 * one-pass mode flicker 90× more than per-frame normalisation). A cell's mean barely changes under a shift
 * small next to the cell, and one wild pixel moves it by a cell's size less.
 */
export class CellGrid {
  readonly cols: number
  readonly rows: number
  readonly #colOf: Uint32Array
  readonly #rowOf: Uint32Array

  constructor(
    readonly width: number,
    readonly height: number,
    count: number,
  ) {
    const side = Math.max(1, Math.sqrt((width * height) / count))
    this.cols = Math.max(1, Math.min(width, Math.floor(width / side)))
    this.rows = Math.max(1, Math.min(height, Math.floor(height / side)))
    this.#colOf = Uint32Array.from({length: width}, (_, x) => Math.floor((x * this.cols) / width))
    this.#rowOf = Uint32Array.from({length: height}, (_, y) => Math.floor((y * this.rows) / height))
  }

  /** Cell means (NaN for a cell without a finite value) and the frame's min and max over finite values. */
  summarise(raw: Float32Array): {means: Float64Array; min: number; max: number} {
    const cells = this.cols * this.rows
    const sums = new Float64Array(cells)
    const counts = new Uint32Array(cells)
    let min = Infinity
    let max = -Infinity
    for (let y = 0; y < this.height; y++) {
      const base = this.#rowOf[y]! * this.cols
      const row = y * this.width
      for (let x = 0; x < this.width; x++) {
        const v = raw[row + x]!
        if (v - v !== 0) continue // NaN and ±Infinity
        if (v < min) min = v
        if (v > max) max = v
        const cell = base + this.#colOf[x]!
        sums[cell]! += v
        counts[cell]!++
      }
    }
    for (let i = 0; i < cells; i++) sums[i] = counts[i]! > 0 ? sums[i]! / counts[i]! : NaN
    return min <= max ? {means: sums, min, max} : {means: sums, min: 0, max: 0}
  }
}

/** Normalised values in [0, 1] of a raw map (NaN → 0): for metrics and 16-bit output. */
export function applyMap(raw: Float32Array, map: AffineMap, out = new Float32Array(raw.length)): Float32Array {
  for (let i = 0; i < raw.length; i++) {
    const n = map.scale * raw[i]! + map.offset
    out[i] = n > 0 ? (n < 1 ? n : 1) : 0
  }
  return out
}

/** The 16-bit image of a mapped frame: trunc(65535 · n), as the reference scales (n clamped to [0, 1]). */
export function toUint16(raw: Float32Array, map: AffineMap, out = new Uint16Array(raw.length)): Uint16Array {
  for (let i = 0; i < raw.length; i++) {
    const n = map.scale * raw[i]! + map.offset
    out[i] = n > 0 ? (n < 1 ? 65535 * n : 65535) : 0
  }
  return out
}

/** Everything the one-pass stabiliser carries from frame to frame: a few thousand numbers (JSON-safe). */
export interface StabilizerState {
  /** The previous frame's aligned cell means (null for cells without a finite value); null before any frame. */
  readonly reference: (number | null)[] | null
  readonly lo: number
  readonly hi: number
}

/** The one-pass mode (see the top of this file): feed frames in order, get each frame's map at once. */
export class OnePassStabilizer {
  readonly #grid: CellGrid
  readonly #weight: number
  readonly #trim: number
  readonly #cut: number
  readonly #symmetric: boolean
  readonly #quantiles: boolean
  #reference: Float64Array | undefined
  #lo = 0
  #hi = 0

  constructor(
    readonly width: number,
    readonly height: number,
    options: StabilizerOptions = {},
  ) {
    this.#weight = options.emaWeight ?? DEFAULT_EMA
    this.#trim = options.trim ?? 0.2
    this.#cut = options.cutResidual ?? 0.25
    this.#symmetric = (options.fit ?? 'symmetric') === 'symmetric'
    this.#quantiles = options.pairing === 'quantiles'
    if (!(this.#weight > 0 && this.#weight <= 1)) throw new RangeError(`emaWeight must be in (0, 1], got ${this.#weight}`)
    if (!(this.#trim >= 0 && this.#trim < 1)) throw new RangeError(`trim must be in [0, 1), got ${this.#trim}`)
    this.#grid = new CellGrid(width, height, options.samples ?? 4096)
  }

  /**
   * The state after the frames fed so far. Saved next to the outputs of frame k, it lets an interrupted run
   * resume at frame k + 1 with exactly the maps an uninterrupted run gives (restore, then feed k + 1, …).
   */
  state(): StabilizerState {
    const reference = this.#reference === undefined ? null : Array.from(this.#reference, (v) => (Number.isFinite(v) ? v : null))
    return {reference, lo: this.#lo, hi: this.#hi}
  }

  restore(state: StabilizerState): void {
    if (state.reference !== null && state.reference.length !== this.#grid.cols * this.#grid.rows) {
      throw new RangeError(`stabiliser state has ${state.reference.length} cells, this frame size has ${this.#grid.cols * this.#grid.rows}`)
    }
    this.#reference = state.reference === null ? undefined : Float64Array.from(state.reference, (v) => v ?? NaN)
    this.#lo = state.lo
    this.#hi = state.hi
  }

  next(raw: Float32Array): StabilizedFrame {
    if (raw.length !== this.width * this.height) throw new RangeError(`expected ${this.width * this.height} values, got ${raw.length}`)
    const {means: samples, ...range} = this.#grid.summarise(raw)
    const fit = this.#reference === undefined ? undefined : this.#align(samples, this.#reference)
    let alignment: {scale: number; shift: number}
    let residual = 0
    let restarted = false
    if (fit === undefined) {
      // First frame or cut: map the frame's own range onto the current smoothed one (the identity at first).
      restarted = true
      const first = this.#reference === undefined
      const [lo, hi] = first ? [range.min, range.max] : [this.#lo, this.#hi]
      const span = range.max - range.min
      alignment = span > 0 ? {scale: (hi - lo) / span, shift: lo - (range.min * (hi - lo)) / span} : {scale: 1, shift: 0}
      if (first) [this.#lo, this.#hi] = [range.min, range.max]
    } else {
      alignment = {scale: fit.scale, shift: fit.shift}
      residual = fit.residual
    }
    const {scale, shift} = alignment
    this.#reference = samples.map((v) => scale * v + shift)
    const [min, max] = [scale * range.min + shift, scale * range.max + shift]
    // (After a restart the frame spans exactly [lo, hi]: the averages stay where they are.)
    this.#lo += this.#weight * (min - this.#lo)
    this.#hi += this.#weight * (max - this.#hi)
    const span = this.#hi - this.#lo
    const map = span > 0 ? {scale: scale / span, offset: (shift - this.#lo) / span} : {scale: 0, offset: 0}
    return {map, alignment, residual, restarted}
  }

  /**
   * Scale and shift of `from` onto `to`. The plain least-squares slope (MiDaS's 2×2) is biased toward 0
   * whenever `from` and `to` do not correspond exactly — noise in the reference frame, motion between frames
   * — and chained frame after frame that bias compounds into a steady loss of contrast. The geometric mean of
   * the slope of `to` on `from` and the inverse slope of `from` on `to` (reduced major axis) is not biased
   * that way and equals the least-squares slope when the two correspond exactly. The shift passes through
   * the means, as least squares' does.
   */
  #fit(from: Float64Array, to: Float64Array): {scale: number; shift: number} {
    const forward = fitScaleShift(from, to)
    if (!this.#symmetric || !(forward.scale > 0)) return forward
    const backward = fitScaleShift(to, from)
    if (!(backward.scale > 0)) return {scale: 0, shift: 0}
    const scale = Math.sqrt(forward.scale / backward.scale)
    let [meanFrom, meanTo] = [0, 0]
    for (let i = 0; i < from.length; i++) [meanFrom, meanTo] = [meanFrom + from[i]!, meanTo + to[i]!]
    return {scale, shift: (meanTo - scale * meanFrom) / from.length}
  }

  /** The trimmed fit of `from` onto `to`, or undefined when it fails (a cut). */
  #align(fromCells: Float64Array, toCells: Float64Array): {scale: number; shift: number; residual: number} | undefined {
    // Cells without a finite value in either frame (NaN means) take no part.
    let from: Float64Array
    let to: Float64Array
    if (this.#quantiles) {
      from = fromCells.filter(Number.isFinite).sort()
      to = toCells.filter(Number.isFinite).sort()
      const m = Math.min(from.length, to.length)
      const at = (sorted: Float64Array, k: number): number => sorted[Math.floor(((k + 0.5) * sorted.length) / m)]!
      ;[from, to] = [Float64Array.from({length: m}, (_, k) => at(from, k)), Float64Array.from({length: m}, (_, k) => at(to, k))]
    } else {
      const both = Array.from(fromCells.keys()).filter((i) => Number.isFinite(fromCells[i]!) && Number.isFinite(toCells[i]!))
      from = Float64Array.from(both, (i) => fromCells[i]!)
      to = Float64Array.from(both, (i) => toCells[i]!)
    }
    const first = this.#fit(from, to)
    if (!(first.scale > 0)) return undefined
    const n = from.length
    const residuals = new Float64Array(n)
    for (let i = 0; i < n; i++) residuals[i] = Math.abs(first.scale * from[i]! + first.shift - to[i]!)
    // Keep the samples whose first-fit residual is at most the (1 − trim) quantile (ties may keep a few more).
    const keep = Math.max(2, Math.round(n * (1 - this.#trim)))
    const limit = keep >= n ? Infinity : select(residuals.slice(), keep - 1)
    const keptFrom: number[] = []
    const keptTo: number[] = []
    for (let i = 0; i < n; i++) {
      if (residuals[i]! <= limit) {
        keptFrom.push(from[i]!)
        keptTo.push(to[i]!)
      }
    }
    const fit = this.#fit(Float64Array.from(keptFrom), Float64Array.from(keptTo))
    if (!(fit.scale > 0)) return undefined
    let sum = 0
    let min = Infinity
    let max = -Infinity
    for (let i = 0; i < keptFrom.length; i++) {
      const r = fit.scale * keptFrom[i]! + fit.shift - keptTo[i]!
      sum += r * r
      min = Math.min(min, keptTo[i]!)
      max = Math.max(max, keptTo[i]!)
    }
    const residual = max > min ? Math.sqrt(sum / keptFrom.length) / (max - min) : Infinity
    return residual > this.#cut ? undefined : {...fit, residual}
  }
}
