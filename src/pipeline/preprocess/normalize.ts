/**
 * Pixel value conversions of the reference pre-processing, and HWC → CHW.
 *
 * The references differ in precision, so the arithmetic is a parameter:
 * - `float64` — MiDaS/DPT/Depth Anything: `NormalizeImage` computes (x − mean) / std on the float64 image
 *   (mean/std are Python lists, so float64), `PrepareForNet` casts to float32 once at the end.
 * - `float32` — Hugging Face `DPTImageProcessor`: `rescale` multiplies in float64 and casts to float32,
 *   then `normalize` keeps the float32 dtype (float32 mean/std, float32 subtraction and division).
 */

// Typed-array reads below stay in range (checked lengths); `!` only tells the compiler.

export type NormalizeArithmetic = 'float64' | 'float32'

export type Triple = readonly [number, number, number]

/**
 * byte / 255 in float64 for every byte value: MiDaS `read_image` divides the uint8 image by 255.0
 * (a division: for 24 of the 256 values it differs from multiplying by 1/255).
 */
export const BYTE_TO_UNIT: Readonly<Float64Array> = Float64Array.from({length: 256}, (_, v) => v / 255)

/** MiDaS `read_image`: `img / 255.0` in float64. */
export function toUnitFloat64(src: Uint8Array): Float64Array {
  const out = new Float64Array(src.length)
  for (let i = 0; i < src.length; i++) out[i] = BYTE_TO_UNIT[src[i]!]!
  return out
}

/**
 * Interleaved 3-channel HWC → planar CHW float32: v = x · scale, then (v − mean[c]) / std[c].
 * MiDaS: `src` is the float64 resized image, scale 1, `float64`. HF: `src` is the uint8 resized image,
 * scale = `rescale_factor` (1/255), `float32`.
 */
export function toNchw(
  src: Float32Array | Float64Array | Uint8Array,
  width: number,
  height: number,
  mean: Triple,
  std: Triple,
  scale: number,
  arithmetic: NormalizeArithmetic = 'float64',
): Float32Array {
  const plane = width * height
  if (src.length !== plane * 3) {
    throw new RangeError(`Expected ${width}×${height}×3 values, got ${src.length}.`)
  }
  const out = new Float32Array(plane * 3)
  const f32 = Math.fround
  for (let c = 0; c < 3; c++) {
    const offset = c * plane
    if (arithmetic === 'float64') {
      const m = mean[c]!
      const s = std[c]!
      for (let i = 0; i < plane; i++) out[offset + i] = (src[i * 3 + c]! * scale - m) / s
    } else {
      const m = f32(mean[c]!)
      const s = f32(std[c]!)
      // f32(a − b) and f32(a / b) of float32 operands are the correctly rounded float32 results.
      for (let i = 0; i < plane; i++) out[offset + i] = f32(f32(src[i * 3 + c]! * scale) - m) / s
    }
  }
  return out
}
