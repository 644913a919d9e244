/**
 * PyTorch `F.interpolate(mode='bicubic')` on float32 maps, as the reference post-processing calls it, bit-exact with the
 * x86-64 PyTorch wheels (PyTorch 2.x `aten/src/ATen/native/cpu/UpSampleKernel.cpp`, dispatched to its AVX2 or
 * AVX512 build, where GCC contracts `acc + a * b` into fused multiply-adds; the no-FMA `default` build and
 * other architectures differ in the last bit):
 * - bicubic, align_corners=False (DPT depth and segmentation): `upsample_generic_Nd_kernel_impl` with
 *   `HelperInterpCubic`; scale = float32(in / out) (interpolate(size=...) passes no scale factor), source
 *   coordinate scale · (d + 0.5) − 0.5, index floor (at most in − 1), t = clamp(coord − index, 0, 1), Keys
 *   coefficients with A = −0.75 in float32, four taps clamped to the edge, no anti-aliasing, overshoot kept;
 *   per output: Σ_rows w_row · (Σ_cols w_col · x), each sum fma(v0, w0, v1·w1) then += v2·w2, += v3·w3 fused.
 * The bicubic path is a row stream ({@link BicubicPlan}, {@link BicubicRowStream}) so that many channels
 * (150 segmentation logits) can be upsampled row by row with exactly the arithmetic of the full upsample;
 * {@link bicubicAt} (and its two passes) evaluates single pixels with the same arithmetic. Bilinear, either
 * align_corners, is in `upsample-bilinear.ts`; the WebAssembly binding of this kernel in `upsample-bicubic.wasm.ts`.
 */

// Typed-array reads below stay in range by construction of the tap tables; `!` only tells the compiler.

const f32 = Math.fround

/**
 * float32 fused multiply-add a·b + c, rounded once. a·b is exact in double; a·b + c rounded to double and
 * then to float32 is the correctly rounded result unless the double lands exactly half-way between two
 * float32 values, in which case the rounding error of the double sum decides.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b // exact: two 24-bit significands
  const s = p + c // the only double rounding
  const r = f32(s)
  const d = s - r // exact
  if (d === 0) return r
  // s is half-way exactly when the neighbour on the other side, r + 2d, is itself a float32.
  const other = r + 2 * d
  if (f32(other) !== other) return r
  // Half-way: the error of the double sum (TwoSum) says which side the exact value is on.
  const bv = s - p
  const error = p - (s - bv) + (c - bv)
  if (error === 0) return r // a true tie: fround already rounded to even
  return error > 0 ? Math.max(r, other) : Math.min(r, other)
}

/** Four-tap sum as the compiled PyTorch loop computes it: the first product is fused over the second. */
function sum4(v0: number, w0: number, v1: number, w1: number, v2: number, w2: number, v3: number, w3: number): number {
  return fmaf(v3, w3, fmaf(v2, w2, fmaf(v0, w0, f32(v1 * w1))))
}

/**
 * Keys cubic on [0, 1] (`cubic_convolution1`: ((A + 2)·x − (A + 3))·x·x + 1). In the compiled kernel only
 * the inner multiply-subtract is fused (found coefficient by coefficient against the wheel's weights).
 */
function cubicNear(x: number): number {
  return f32(f32(f32(fmaf(1.25, x, -2.25) * x) * x) + 1)
}

/** Keys cubic on [1, 2] (`cubic_convolution2`: ((A·x − 5A)·x + 8A)·x − 4A); the first two steps fused. */
function cubicFar(x: number): number {
  return f32(f32(fmaf(fmaf(-0.75, x, 3.75), x, -6) * x) + 3)
}

/** Tap indices and weights of one axis of a bicubic upsample: four per output position. */
export interface BicubicAxis {
  readonly index: Int32Array
  readonly weight: Float32Array
}

function bicubicAxis(srcSize: number, dstSize: number): BicubicAxis {
  const scale = f32(srcSize / dstSize)
  const index = new Int32Array(dstSize * 4)
  const weight = new Float32Array(dstSize * 4)
  for (let d = 0; d < dstSize; d++) {
    const real = fmaf(scale, d + 0.5, -0.5) // area_pixel_compute_source_index, contracted
    const i = Math.min(Math.floor(real), srcSize - 1) // guard_index_and_lambda
    const t = Math.min(Math.max(f32(real - i), 0), 1)
    const u = f32(1 - t)
    weight[d * 4] = cubicFar(f32(t + 1))
    weight[d * 4 + 1] = cubicNear(t)
    weight[d * 4 + 2] = cubicNear(u)
    weight[d * 4 + 3] = cubicFar(f32(u + 1))
    for (let k = 0; k < 4; k++) index[d * 4 + k] = Math.min(Math.max(i - 1 + k, 0), srcSize - 1)
  }
  return {index, weight}
}

/** Precomputed taps of a bicubic upsample from srcWidth×srcHeight to dstWidth×dstHeight. */
export interface BicubicPlan {
  readonly srcWidth: number
  readonly srcHeight: number
  readonly dstWidth: number
  readonly dstHeight: number
  readonly columns: BicubicAxis
  readonly rows: BicubicAxis
}

/** Both plan builders refuse sizes that are not positive integers. */
export function checkSizes(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): void {
  for (const [name, v] of [
    ['srcWidth', srcWidth],
    ['srcHeight', srcHeight],
    ['dstWidth', dstWidth],
    ['dstHeight', dstHeight],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`Expected ${name} to be a positive integer, got ${v}.`)
  }
}

export function bicubicPlan(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): BicubicPlan {
  checkSizes(srcWidth, srcHeight, dstWidth, dstHeight)
  return {
    srcWidth,
    srcHeight,
    dstWidth,
    dstHeight,
    columns: bicubicAxis(srcWidth, dstWidth),
    rows: bicubicAxis(srcHeight, dstHeight),
  }
}

/**
 * Output rows of one channel of a bicubic upsample. Keeps the last four horizontally interpolated
 * source rows, so requesting rows in increasing order interpolates each source row once (any order is
 * correct). One stream per channel; the source map is read, never copied. For C planar channels:
 *
 *     const plan = bicubicPlan(w, h, W, H)
 *     const streams = Array.from({length: C}, (_, c) => new BicubicRowStream(plan, logits, c * w * h))
 *     for (let y = 0; y < H; y++) for (const s of streams) s.row(y, line) // then compare `line`s
 */
export class BicubicRowStream {
  private readonly cache: Float32Array[]
  private readonly cachedRow = new Int32Array(4).fill(-1)

  /** `src[srcOffset ..]` holds the srcHeight×srcWidth map of this channel, row-major. */
  constructor(
    readonly plan: BicubicPlan,
    private readonly src: Float32Array,
    private readonly srcOffset = 0,
  ) {
    if (srcOffset < 0 || srcOffset + plan.srcWidth * plan.srcHeight > src.length) {
      throw new RangeError(`The source map (${plan.srcWidth}×${plan.srcHeight} from ${srcOffset}) exceeds the buffer.`)
    }
    this.cache = [0, 1, 2, 3].map(() => new Float32Array(plan.dstWidth))
  }

  /** Writes output row `y` into `out[outOffset .. outOffset + dstWidth)`. */
  row(y: number, out: Float32Array, outOffset = 0): void {
    const {rows, dstWidth, dstHeight} = this.plan
    if (!(y >= 0 && y < dstHeight) || outOffset < 0 || outOffset + dstWidth > out.length) {
      throw new RangeError(`Row ${y} of ${dstHeight} (${dstWidth} values at ${outOffset}) is outside the output.`)
    }
    const r0 = this.sourceRow(rows.index[y * 4]!)
    const r1 = this.sourceRow(rows.index[y * 4 + 1]!)
    const r2 = this.sourceRow(rows.index[y * 4 + 2]!)
    const r3 = this.sourceRow(rows.index[y * 4 + 3]!)
    const w0 = rows.weight[y * 4]!
    const w1 = rows.weight[y * 4 + 1]!
    const w2 = rows.weight[y * 4 + 2]!
    const w3 = rows.weight[y * 4 + 3]!
    for (let x = 0; x < dstWidth; x++) {
      out[outOffset + x] = sum4(r0[x]!, w0, r1[x]!, w1, r2[x]!, w2, r3[x]!, w3)
    }
  }

  /** Source row `sy` interpolated to the output width; taps of one output row are consecutive rows. */
  private sourceRow(sy: number): Float32Array {
    const slot = sy & 3
    const line = this.cache[slot]!
    if (this.cachedRow[slot] === sy) return line
    const {index, weight} = this.plan.columns
    const src = this.src
    const start = this.srcOffset + sy * this.plan.srcWidth
    for (let x = 0, e = 0; x < line.length; x++, e += 4) {
      line[x] = sum4(
        src[start + index[e]!]!,
        weight[e]!,
        src[start + index[e + 1]!]!,
        weight[e + 1]!,
        src[start + index[e + 2]!]!,
        weight[e + 2]!,
        src[start + index[e + 3]!]!,
        weight[e + 3]!,
      )
    }
    this.cachedRow[slot] = sy
    return line
  }
}

/**
 * First pass of {@link BicubicRowStream} at one point: source row `sy` of one channel (`src[srcOffset ..]`,
 * srcHeight×srcWidth) interpolated at output column x.
 */
export function bicubicRowAt(plan: BicubicPlan, src: Float32Array, srcOffset: number, sy: number, x: number): number {
  const {index, weight} = plan.columns
  const e = x * 4
  const s = srcOffset + sy * plan.srcWidth
  return sum4(
    src[s + index[e]!]!,
    weight[e]!,
    src[s + index[e + 1]!]!,
    weight[e + 1]!,
    src[s + index[e + 2]!]!,
    weight[e + 2]!,
    src[s + index[e + 3]!]!,
    weight[e + 3]!,
  )
}

/** Second pass at one point: output row y from the first-pass values of its four tap rows, in tap order. */
export function bicubicColumnAt(plan: BicubicPlan, y: number, t0: number, t1: number, t2: number, t3: number): number {
  const w = plan.rows.weight
  const e = y * 4
  return sum4(t0, w[e]!, t1, w[e + 1]!, t2, w[e + 2]!, t3, w[e + 3]!)
}

/** Output (x, y) of one channel of a bicubic upsample, with the arithmetic of {@link BicubicRowStream}. */
export function bicubicAt(plan: BicubicPlan, src: Float32Array, srcOffset: number, x: number, y: number): number {
  const rows = plan.rows.index
  const e = y * 4
  return bicubicColumnAt(
    plan,
    y,
    bicubicRowAt(plan, src, srcOffset, rows[e]!, x),
    bicubicRowAt(plan, src, srcOffset, rows[e + 1]!, x),
    bicubicRowAt(plan, src, srcOffset, rows[e + 2]!, x),
    bicubicRowAt(plan, src, srcOffset, rows[e + 3]!, x),
  )
}

/** Both whole-map upsamples: the source holds width×height values, `out` (if given) dstWidth×dstHeight. */
export function checkMaps(src: Float32Array, width: number, height: number, out: Float32Array | undefined, dstWidth: number, dstHeight: number): void {
  if (src.length !== width * height) throw new RangeError(`Expected ${width}×${height} values, got ${src.length}.`)
  if (out !== undefined && out.length !== dstWidth * dstHeight) {
    throw new RangeError(`Expected an output of ${dstWidth}×${dstHeight} values, got ${out.length}.`)
  }
}

/**
 * `F.interpolate(x, size=(dstHeight, dstWidth), mode='bicubic', align_corners=False)` of one map, into `out`
 * when given (every element is written).
 */
export function upsampleBicubic(src: Float32Array, width: number, height: number, dstWidth: number, dstHeight: number, out?: Float32Array): Float32Array {
  checkMaps(src, width, height, out, dstWidth, dstHeight)
  const stream = new BicubicRowStream(bicubicPlan(width, height, dstWidth, dstHeight), src)
  out ??= new Float32Array(dstWidth * dstHeight)
  for (let y = 0; y < dstHeight; y++) stream.row(y, out, y * dstWidth)
  return out
}
