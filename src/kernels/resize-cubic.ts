/**
 * OpenCV `cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)` on a float64 image, as MiDaS/DPT/Depth
 * Anything run it (their image is `rgb / 255.0`, float64). Reproduces `cv::resize` → `resizeGeneric_` with
 * `HResizeCubic<double, double, float>` / `VResizeCubic<double, double, float>`:
 * - scale = 1 / (dst / src) in double (OpenCV inverts `inv_scale = dst / src`);
 * - source coordinate fx = float32((d + 0.5) * scale − 0.5), sx = floor(fx), t = fx − sx;
 * - coefficients `interpolateCubic` in float32, A = −0.75, the fourth one as 1 − c0 − c1 − c2;
 * - taps outside the image clamped to the edge (BORDER_REPLICATE);
 * - horizontal pass then vertical pass, both summing tap 0..3 left to right in double (coefficients are
 *   float32 values); no anti-aliasing when shrinking, no clamping of the result.
 * Same size: OpenCV copies. Bit-exact with opencv-python on float64 input (see the golden tests).
 * A Float32Array source is read as float64 values too: the references never resize a float32 image, and
 * OpenCV's float32 instantiation (float accumulation) is not reproduced.
 */

import {BYTE_TO_UNIT} from '../pipeline/preprocess/normalize.js'

// Typed-array reads below stay in range by construction of the tap tables; `!` only tells the compiler.

const f32 = Math.fround
const A = -0.75

/**
 * OpenCV `interpolateCubic(float x, float* coeffs)`, every operation rounded to float32 in the source's
 * order (A + 2 = 1.25 and A + 3 = 2.25 are exact).
 */
function cubicCoefficients(x: number, out: Float64Array, at: number): void {
  const x1 = f32(x + 1)
  const c0 = f32(f32(f32(f32(f32(f32(A * x1) - 5 * A) * x1) + 8 * A) * x1) - 4 * A)
  const c1 = f32(f32(f32(f32(f32(1.25 * x) - 2.25) * x) * x) + 1)
  const omx = f32(1 - x)
  const c2 = f32(f32(f32(f32(f32(1.25 * omx) - 2.25) * omx) * omx) + 1)
  out[at] = c0
  out[at + 1] = c1
  out[at + 2] = c2
  out[at + 3] = f32(f32(f32(1 - c0) - c1) - c2)
}

export interface Taps {
  /** Four clamped source positions per output position. */
  readonly index: Int32Array
  /** Their float32 coefficients. */
  readonly weight: Float64Array
}

export function cubicTaps(srcSize: number, dstSize: number): Taps {
  const scale = 1 / (dstSize / srcSize)
  const index = new Int32Array(dstSize * 4)
  const weight = new Float64Array(dstSize * 4)
  for (let d = 0; d < dstSize; d++) {
    const fx = f32((d + 0.5) * scale - 0.5)
    const sx = Math.floor(fx)
    cubicCoefficients(f32(fx - sx), weight, d * 4)
    for (let k = 0; k < 4; k++) index[d * 4 + k] = Math.min(Math.max(sx - 1 + k, 0), srcSize - 1)
  }
  return {index, weight}
}

/**
 * Resizes an interleaved HWC image; returns float32 (the values cv2 computes in float64, rounded once).
 */
export function resizeCubic(
  src: Float32Array | Float64Array,
  width: number,
  height: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  const out = new Float32Array(dstWidth * dstHeight * channels)
  resizeCubicInto(src, width, height, channels, dstWidth, dstHeight, out)
  return out
}

/**
 * As {@link resizeCubic}, into `out`: a Float64Array keeps cv2's float64 result exactly (what MiDaS then
 * normalises in float64), a Float32Array rounds it once.
 */
export function resizeCubicInto(
  src: Float32Array | Float64Array,
  width: number,
  height: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
  out: Float32Array | Float64Array,
): void {
  checkSizes(src.length, width, height, channels, dstWidth, dstHeight, out)
  if (width === dstWidth && height === dstHeight) {
    out.set(src)
    return
  }
  resizeRows(width, height, channels, dstWidth, dstHeight, out, (rowStart, offset, weight, line) => {
    for (let i = 0, e = 0; i < line.length; i++, e += 4) {
      line[i] =
        src[rowStart + offset[e]!]! * weight[e]! +
        src[rowStart + offset[e + 1]!]! * weight[e + 1]! +
        src[rowStart + offset[e + 2]!]! * weight[e + 2]! +
        src[rowStart + offset[e + 3]!]! * weight[e + 3]!
    }
  })
}

/**
 * MiDaS `read_image` + `Resize`: the same values as `resizeCubicInto(toUnitFloat64(src), …)`, bit for bit,
 * without a float64 copy of the whole decoded image (each byte becomes byte / 255.0 as rows are read).
 */
export function resizeCubicUnitInto(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
  out: Float32Array | Float64Array,
): void {
  checkSizes(src.length, width, height, channels, dstWidth, dstHeight, out)
  if (width === dstWidth && height === dstHeight) {
    for (let i = 0; i < src.length; i++) out[i] = BYTE_TO_UNIT[src[i]!]!
    return
  }
  resizeRows(width, height, channels, dstWidth, dstHeight, out, (rowStart, offset, weight, line) => {
    for (let i = 0, e = 0; i < line.length; i++, e += 4) {
      line[i] =
        BYTE_TO_UNIT[src[rowStart + offset[e]!]!]! * weight[e]! +
        BYTE_TO_UNIT[src[rowStart + offset[e + 1]!]!]! * weight[e + 1]! +
        BYTE_TO_UNIT[src[rowStart + offset[e + 2]!]!]! * weight[e + 2]! +
        BYTE_TO_UNIT[src[rowStart + offset[e + 3]!]!]! * weight[e + 3]!
    }
  })
}

function checkSizes(
  length: number,
  width: number,
  height: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
  out: Float32Array | Float64Array,
): void {
  if (length !== width * height * channels) {
    throw new RangeError(`Expected ${width}×${height}×${channels} source values, got ${length}.`)
  }
  if (out.length !== dstWidth * dstHeight * channels) {
    throw new RangeError(`Expected a ${dstWidth}×${dstHeight}×${channels} output buffer, got ${out.length} values.`)
  }
}

/**
 * The horizontal pass's taps per output element (column × channel) of an interleaved row: four source offsets
 * within a source row (column · channels + channel) and their weights, at 4·i … 4·i + 3.
 */
export function cubicColumnTaps(width: number, dstWidth: number, channels: number): {offset: Int32Array; weight: Float64Array} {
  const cols = cubicTaps(width, dstWidth)
  const offset = new Int32Array(dstWidth * channels * 4)
  const weight = new Float64Array(dstWidth * channels * 4)
  for (let x = 0; x < dstWidth; x++) {
    for (let c = 0; c < channels; c++) {
      const e = (x * channels + c) * 4
      for (let k = 0; k < 4; k++) {
        offset[e + k] = cols.index[x * 4 + k]! * channels + c
        weight[e + k] = cols.weight[x * 4 + k]!
      }
    }
  }
  return {offset, weight}
}

/**
 * Horizontal pass of one source row: `line[i]` = Σ_k src[rowStart + offset[4i + k]] · weight[4i + k],
 * summed k = 0..3 left to right in double.
 */
type HorizontalPass = (rowStart: number, offset: Int32Array, weight: Float64Array, line: Float64Array) => void

function resizeRows(
  width: number,
  height: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
  out: Float32Array | Float64Array,
  horizontal: HorizontalPass,
): void {
  const rowLength = dstWidth * channels
  const {offset: colOffset, weight: colWeight} = cubicColumnTaps(width, dstWidth, channels)
  const rows = cubicTaps(height, dstHeight)
  // Horizontally resized source rows; the four taps of an output row are consecutive source rows, so
  // slot (row & 3) never holds another row that the same output row needs.
  const cache = [0, 1, 2, 3].map(() => new Float64Array(rowLength))
  const cachedRow = new Int32Array(4).fill(-1)
  const tapRows: Float64Array[] = [cache[0]!, cache[0]!, cache[0]!, cache[0]!]

  for (let y = 0; y < dstHeight; y++) {
    for (let k = 0; k < 4; k++) {
      const sy = rows.index[y * 4 + k]!
      const slot = sy & 3
      const line = cache[slot]!
      if (cachedRow[slot] !== sy) {
        horizontal(sy * width * channels, colOffset, colWeight, line)
        cachedRow[slot] = sy
      }
      tapRows[k] = line
    }
    const r0 = tapRows[0]!
    const r1 = tapRows[1]!
    const r2 = tapRows[2]!
    const r3 = tapRows[3]!
    const b0 = rows.weight[y * 4]!
    const b1 = rows.weight[y * 4 + 1]!
    const b2 = rows.weight[y * 4 + 2]!
    const b3 = rows.weight[y * 4 + 3]!
    const base = y * rowLength
    for (let i = 0; i < rowLength; i++) {
      out[base + i] = r0[i]! * b0 + r1[i]! * b1 + r2[i]! * b2 + r3[i]! * b3
    }
  }
}
