/**
 * `F.interpolate(x, size=(H, W), mode='bilinear')` on float32 maps, bit-exact with the x86-64 PyTorch 2.x wheels.
 *
 * align_corners=True (Depth Anything V2 depth): scale = float32((in − 1) / (out − 1)), coordinate scale · d;
 * PyTorch's generic kernel when out_h + out_w > 128, its channels-last kernel otherwise
 * (`_use_vectorized_kernel_cond_2d`), which weights the four corners with products h·w: see
 * {@link upsampleBilinearAlignCorners}.
 *
 * align_corners=False, bit-exact with the
 * x86-64 PyTorch 2.x wheels (`aten/src/ATen/native/cpu/UpSampleKernel.cpp`, GCC contracting `a * b + c`
 * into fused multiply-adds). This is how the Hugging Face DPT ports return segmentation logits to the image
 * size. PyTorch runs one of two CPU kernels on an NCHW float tensor, chosen by `_use_vectorized_kernel_cond_2d`:
 * - generic (out_h + out_w > 128, every real image): per axis scale = float32(in / out), source coordinate
 *   scale · (d + 0.5) − 0.5 in float32 *without* contraction, negative coordinates clamped to 0, index floor
 *   (at most in − 1), λ1 = clamp(coord − index, 0, 1), λ0 = 1 − λ1; the value is
 *   h0 · (w0 · i00 + w1 · i01) + h1 · (w0 · i10 + w1 · i11), each pair fma(a, w_a, b · w_b).
 * - channels-last (out_h + out_w ≤ 128): the coordinate *is* contracted (fma(scale, d + 0.5, −0.5)); the
 *   corner weights are float32 products h·w, and channels are processed 8 at a time (the wheel dispatches
 *   this kernel's 8-lane build, also on AVX-512 machines): channels below C − C mod 8 are summed
 *   i00·w00 + (i01·w01 + (i10·w10 + i11·w11)) as fma(i00, w00, fma(i01, w01, fma(i11, w11, i10·w10))), the
 *   remaining C mod 8 left to right as fma(i11, w11, fma(i10, w10, fma(i00, w00, i01·w01))).
 * Each detail above was found against goldens of the wheel (tools/segment_goldens.py, and a fuzz of 480
 * random sizes); the no-FMA build and other architectures differ in the last bit. Not modelled: PyTorch also
 * takes the channels-last kernel for C = 3 when it runs on one thread, and for channels-last input tensors;
 * the ports' 150 contiguous logits never meet either.
 */
import {checkMaps, checkSizes, fmaf} from './upsample-bicubic.js'

const f32 = Math.fround

/** Which PyTorch CPU kernel computes a bilinear resize to this output size. */
export type BilinearKernel = 'generic' | 'channels-last'

/** Precomputed taps of a bilinear (align_corners=False) resize from srcWidth×srcHeight to dstWidth×dstHeight. */
export interface BilinearPlan {
  readonly srcWidth: number
  readonly srcHeight: number
  readonly dstWidth: number
  readonly dstHeight: number
  readonly kernel: BilinearKernel
  readonly columns: LinearAxis
  readonly rows: LinearAxis
}

/** align_corners=False: source coordinate scale · (d + 0.5) − 0.5, clamped below at 0. */
function linearAxis(srcSize: number, dstSize: number, contracted: boolean): LinearAxis {
  const scale = f32(srcSize / dstSize)
  return linearAxisFrom(srcSize, dstSize, (d) => {
    const centre = f32(d + 0.5)
    const coord = contracted ? fmaf(scale, centre, -0.5) : f32(f32(scale * centre) - 0.5)
    return coord < 0 ? 0 : coord
  })
}

export function bilinearPlan(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): BilinearPlan {
  checkSizes(srcWidth, srcHeight, dstWidth, dstHeight)
  const kernel: BilinearKernel = dstWidth + dstHeight <= 128 ? 'channels-last' : 'generic'
  const contracted = kernel === 'channels-last'
  return {
    srcWidth,
    srcHeight,
    dstWidth,
    dstHeight,
    kernel,
    columns: linearAxis(srcWidth, dstWidth, contracted),
    rows: linearAxis(srcHeight, dstHeight, contracted),
  }
}

/** Lanes of the vectorised channels-last kernel in the PyTorch wheel (found against its output). */
const VECTOR_LANES = 8

/** Whether channel `channel` of `channels` goes through the vector loop of the channels-last kernel. */
export function bilinearVectorLane(channel: number, channels: number): boolean {
  return channel < channels - (channels % VECTOR_LANES)
}

/** Two-tap sum of the generic kernel: the first product fused over the second. */
export function linearPair(v0: number, w0: number, v1: number, w1: number): number {
  return fmaf(v0, w0, f32(v1 * w1))
}

/** First pass of the generic kernel: source row `sy` of one channel (`src[srcOffset ..]`) at output column x. */
export function bilinearRowAt(plan: BilinearPlan, src: Float32Array, srcOffset: number, sy: number, x: number): number {
  const {columns} = plan
  const s = srcOffset + sy * plan.srcWidth
  return linearPair(src[s + columns.index0[x]!]!, columns.lambda0[x]!, src[s + columns.index1[x]!]!, columns.lambda1[x]!)
}

/** Second pass of the generic kernel: output row y from the first-pass values of its two tap rows. */
export function bilinearColumnAt(plan: BilinearPlan, y: number, top: number, bottom: number): number {
  return linearPair(top, plan.rows.lambda0[y]!, bottom, plan.rows.lambda1[y]!)
}

/**
 * Output (x, y) of channel `channel` of a `channels`-channel bilinear resize, the channel's map being
 * `src[srcOffset ..]` (srcHeight×srcWidth, row-major).
 */
export function bilinearAt(plan: BilinearPlan, src: Float32Array, srcOffset: number, x: number, y: number, channel = 0, channels = 1): number {
  const {rows, columns, srcWidth} = plan
  if (plan.kernel === 'generic') {
    const top = bilinearRowAt(plan, src, srcOffset, rows.index0[y]!, x)
    return bilinearColumnAt(plan, y, top, bilinearRowAt(plan, src, srcOffset, rows.index1[y]!, x))
  }
  const a = srcOffset + rows.index0[y]! * srcWidth
  const b = srcOffset + rows.index1[y]! * srcWidth
  const c0 = columns.index0[x]!
  const c1 = columns.index1[x]!
  const h0 = rows.lambda0[y]!
  const h1 = rows.lambda1[y]!
  const w0 = columns.lambda0[x]!
  const w1 = columns.lambda1[x]!
  const i00 = src[a + c0]!
  const i01 = src[a + c1]!
  const i10 = src[b + c0]!
  const i11 = src[b + c1]!
  const w00 = f32(h0 * w0)
  const w01 = f32(h0 * w1)
  const w10 = f32(h1 * w0)
  const w11 = f32(h1 * w1)
  if (bilinearVectorLane(channel, channels)) return fmaf(i00, w00, fmaf(i01, w01, fmaf(i11, w11, f32(i10 * w10))))
  return fmaf(i11, w11, fmaf(i10, w10, fmaf(i00, w00, f32(i01 * w01))))
}

/**
 * `F.interpolate(x, size=(dstHeight, dstWidth), mode='bilinear', align_corners=False)` of one map: channel
 * `channel` of a `channels`-channel tensor (the arithmetic of small outputs depends on the channel's lane).
 */
export function upsampleBilinear(
  src: Float32Array,
  width: number,
  height: number,
  dstWidth: number,
  dstHeight: number,
  channel = 0,
  channels = 1,
): Float32Array {
  if (src.length !== width * height) throw new RangeError(`Expected ${width}×${height} values, got ${src.length}.`)
  const plan = bilinearPlan(width, height, dstWidth, dstHeight)
  const out = new Float32Array(dstWidth * dstHeight)
  if (plan.kernel === 'channels-last') {
    for (let y = 0; y < dstHeight; y++) {
      for (let x = 0; x < dstWidth; x++) out[y * dstWidth + x] = bilinearAt(plan, src, 0, x, y, channel, channels)
    }
    return out
  }
  // Generic kernel: first passes of source rows, each computed once (output rows share them), then the second.
  const lines = [new Float32Array(dstWidth), new Float32Array(dstWidth)]
  const cached = [-1, -1]
  const line = (sy: number): Float32Array => {
    const slot = sy & 1
    const values = lines[slot]!
    if (cached[slot] !== sy) {
      for (let x = 0; x < dstWidth; x++) values[x] = bilinearRowAt(plan, src, 0, sy, x)
      cached[slot] = sy
    }
    return values
  }
  for (let y = 0; y < dstHeight; y++) {
    // index1 is index0 or index0 + 1: the two rows never share a slot unless they are the same row.
    const top = line(plan.rows.index0[y]!)
    const bottom = line(plan.rows.index1[y]!)
    for (let x = 0; x < dstWidth; x++) out[y * dstWidth + x] = bilinearColumnAt(plan, y, top[x]!, bottom[x]!)
  }
  return out
}

/** Per output index along one axis: the two source taps and their float32 weights (PyTorch's lambdas). */
export interface LinearAxis {
  readonly index0: Int32Array
  readonly index1: Int32Array
  readonly lambda0: Float32Array
  readonly lambda1: Float32Array
}

/**
 * PyTorch `compute_source_index_and_lambda` given the source coordinate of each output index (which is where
 * align_corners True and False differ): taps clamped to the edge, lambda1 = coordinate − index in [0, 1].
 */
export function linearAxisFrom(srcSize: number, dstSize: number, coordinate: (d: number) => number): LinearAxis {
  const index0 = new Int32Array(dstSize)
  const index1 = new Int32Array(dstSize)
  const lambda0 = new Float32Array(dstSize)
  const lambda1 = new Float32Array(dstSize)
  for (let d = 0; d < dstSize; d++) {
    if (srcSize === dstSize) {
      index0[d] = index1[d] = d
      lambda0[d] = 1
      continue
    }
    const real = coordinate(d)
    const i = Math.min(Math.floor(real), srcSize - 1)
    const l1 = Math.min(Math.max(f32(real - i), 0), 1)
    index0[d] = i
    index1[d] = i < srcSize - 1 ? i + 1 : i
    lambda1[d] = l1
    lambda0[d] = f32(1 - l1)
  }
  return {index0, index1, lambda0, lambda1}
}

/** align_corners=True: source coordinate scale · d with scale = (src − 1) / (dst − 1) in float32. */
function linearAxisAlignCorners(srcSize: number, dstSize: number): LinearAxis {
  const scale = dstSize > 1 ? f32((srcSize - 1) / (dstSize - 1)) : 0
  return linearAxisFrom(srcSize, dstSize, (d) => f32(scale * d))
}

/** `F.interpolate(x, size=(dstHeight, dstWidth), mode='bilinear', align_corners=True)` of one map, into `out` when given. */
export function upsampleBilinearAlignCorners(
  src: Float32Array,
  width: number,
  height: number,
  dstWidth: number,
  dstHeight: number,
  out?: Float32Array,
): Float32Array {
  checkMaps(src, width, height, out, dstWidth, dstHeight)
  const cols = linearAxisAlignCorners(width, dstWidth)
  const rows = linearAxisAlignCorners(height, dstHeight)
  const cornerWeights = dstWidth + dstHeight <= 128
  out ??= new Float32Array(dstWidth * dstHeight)
  for (let y = 0; y < dstHeight; y++) {
    const a = rows.index0[y]! * width
    const b = rows.index1[y]! * width
    const h0 = rows.lambda0[y]!
    const h1 = rows.lambda1[y]!
    for (let x = 0; x < dstWidth; x++) {
      const c0 = cols.index0[x]!
      const c1 = cols.index1[x]!
      const w0 = cols.lambda0[x]!
      const w1 = cols.lambda1[x]!
      let v: number
      if (cornerWeights) {
        // cpu_upsample_linear_channels_last: i00·(h0·w0) + i01·(h0·w1) + i10·(h1·w0) + i11·(h1·w1)
        v = fmaf(src[a + c0]!, f32(h0 * w0), f32(src[a + c1]! * f32(h0 * w1)))
        v = fmaf(src[b + c0]!, f32(h1 * w0), v)
        v = fmaf(src[b + c1]!, f32(h1 * w1), v)
      } else {
        // generic kernel: h0·(w0·i00 + w1·i01) + h1·(w0·i10 + w1·i11)
        const top = fmaf(src[a + c0]!, w0, f32(src[a + c1]! * w1))
        const bottom = fmaf(src[b + c0]!, w0, f32(src[b + c1]! * w1))
        v = fmaf(top, h0, f32(bottom * h1))
      }
      out[y * dstWidth + x] = v
    }
  }
  return out
}
