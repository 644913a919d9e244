/**
 * Pillow `Image.resize((w, h), resample)` for 8-bit images (the Hugging Face image processors), bit-exact.
 * Reproduces libImaging/Resample.c:
 * - per axis, `precompute_coeffs`: support = filter support × max(scale, 1) (antialiasing when shrinking),
 *   window [trunc(centre − support + 0.5), trunc(centre + support + 0.5)) clipped to the image, weights
 *   filter((x − centre + 0.5) / max(scale, 1)) in double, normalised by their sum;
 * - `normalize_coeffs_8bpc`: weights to 22-bit fixed point, rounded half away from zero;
 * - pass order (`ImagingResampleInner`): horizontal first, over only the source rows the vertical pass
 *   reads — except that since Pillow 13 (python-pillow/Pillow#9549) the vertical pass runs first when the
 *   height shrinks by more than twice as many pixels as the width does (the order changes the rounding);
 *   a pass is skipped when its dimension is unchanged, and an unchanged size is a copy;
 * - each pass accumulates in int32 from 2^21 (the rounding half) and clips `acc >> 22` to 0..255.
 * Filters: bilinear (triangle, support 1) and bicubic (Keys, a = −0.5, support 2).
 */

// Typed-array reads below stay in range by construction of the windows; `!` only tells the compiler.

export type PilFilter = 'bilinear' | 'bicubic'

const PRECISION_BITS = 22
const HALF = 1 << (PRECISION_BITS - 1)

interface Filter {
  readonly support: number
  readonly weight: (x: number) => number
}

const FILTERS: Record<PilFilter, Filter> = {
  bilinear: {
    support: 1,
    weight(x) {
      const ax = x < 0 ? -x : x
      return ax < 1 ? 1 - ax : 0
    },
  },
  bicubic: {
    support: 2,
    weight(x) {
      // Pillow's bicubic_filter with a = −0.5, same operation order.
      const a = -0.5
      const ax = x < 0 ? -x : x
      if (ax < 1) return ((a + 2) * ax - (a + 3)) * ax * ax + 1
      if (ax < 2) return (((ax - 5) * ax + 8) * ax - 4) * a
      return 0
    },
  },
}

interface Coefficients {
  /** Window length (maximum taps per output position). */
  readonly size: number
  /** First source position and tap count per output position. */
  readonly start: Int32Array
  readonly count: Int32Array
  /** Fixed-point weights, `size` per output position. */
  readonly weight: Int32Array
}

function precompute(inSize: number, outSize: number, filter: Filter): Coefficients {
  const scale = inSize / outSize
  const filterScale = Math.max(scale, 1)
  const support = filter.support * filterScale
  const size = Math.ceil(support) * 2 + 1
  const start = new Int32Array(outSize)
  const count = new Int32Array(outSize)
  const weight = new Int32Array(outSize * size)
  const w = new Float64Array(size)
  const inverse = 1 / filterScale
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0)
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize)
    let total = 0
    for (let x = 0; x < xmax - xmin; x++) {
      w[x] = filter.weight((x + xmin - center + 0.5) * inverse)
      total += w[x]!
    }
    for (let x = 0; x < xmax - xmin; x++) {
      const v = total !== 0 ? w[x]! / total : w[x]!
      weight[xx * size + x] = Math.trunc(v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS))
    }
    start[xx] = xmin
    count[xx] = xmax - xmin
  }
  return {size, start, count, weight}
}

function clip8(acc: number): number {
  const v = acc >> PRECISION_BITS
  return v < 0 ? 0 : v > 255 ? 255 : v
}

/** Resizes an interleaved HWC uint8 image with Pillow's arithmetic. */
export function resizePil(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  dstWidth: number,
  dstHeight: number,
  filter: PilFilter,
): Uint8Array {
  if (src.length !== width * height * channels) {
    throw new RangeError(`Expected ${width}×${height}×${channels} source values, got ${src.length}.`)
  }
  const needHorizontal = dstWidth !== width
  const needVertical = dstHeight !== height
  if (!needHorizontal && !needVertical) return src.slice()
  const f = FILTERS[filter]
  if (dstHeight < height && height - dstHeight > 2 * (width - dstWidth)) {
    const shorter = verticalPass(src, width, channels, 0, dstHeight, precompute(height, dstHeight, f))
    if (!needHorizontal) return shorter
    return horizontalPass(shorter, width, channels, 0, dstHeight, dstWidth, precompute(width, dstWidth, f))
  }
  const vertical = precompute(height, dstHeight, f)
  let image = src
  let firstRow = 0
  if (needHorizontal) {
    // Only the rows the vertical pass reads: from the first window's start to the last window's end.
    firstRow = vertical.start[0]!
    const lastRow = vertical.start[dstHeight - 1]! + vertical.count[dstHeight - 1]!
    image = horizontalPass(src, width, channels, firstRow, lastRow - firstRow, dstWidth, precompute(width, dstWidth, f))
  }
  if (!needVertical) return image
  return verticalPass(image, dstWidth, channels, firstRow, dstHeight, vertical)
}

function horizontalPass(src: Uint8Array, width: number, channels: number, firstRow: number, rows: number, dstWidth: number, k: Coefficients): Uint8Array {
  const out = new Uint8Array(rows * dstWidth * channels)
  for (let y = 0; y < rows; y++) {
    const rowStart = (y + firstRow) * width * channels
    for (let x = 0; x < dstWidth; x++) {
      const n = k.count[x]!
      const w0 = x * k.size
      const s0 = rowStart + k.start[x]! * channels
      const o = (y * dstWidth + x) * channels
      if (channels === 3) {
        // The common RGB case with the three sums in locals (same integer arithmetic, ~2× faster).
        let a0 = HALF
        let a1 = HALF
        let a2 = HALF
        for (let t = 0, p = s0; t < n; t++, p += 3) {
          const w = k.weight[w0 + t]!
          a0 += src[p]! * w
          a1 += src[p + 1]! * w
          a2 += src[p + 2]! * w
        }
        out[o] = clip8(a0)
        out[o + 1] = clip8(a1)
        out[o + 2] = clip8(a2)
      } else {
        for (let c = 0; c < channels; c++) {
          let acc = HALF
          for (let t = 0; t < n; t++) acc += src[s0 + t * channels + c]! * k.weight[w0 + t]!
          out[o + c] = clip8(acc)
        }
      }
    }
  }
  return out
}

function verticalPass(src: Uint8Array, width: number, channels: number, firstRow: number, dstHeight: number, k: Coefficients): Uint8Array {
  const rowLength = width * channels
  const out = new Uint8Array(dstHeight * rowLength)
  // One output row at a time, accumulated tap by tap so every source row is read sequentially.
  const acc = new Int32Array(rowLength)
  for (let y = 0; y < dstHeight; y++) {
    const n = k.count[y]!
    const w0 = y * k.size
    const s0 = (k.start[y]! - firstRow) * rowLength
    acc.fill(HALF)
    for (let t = 0; t < n; t++) {
      const w = k.weight[w0 + t]!
      const base = s0 + t * rowLength
      for (let i = 0; i < rowLength; i++) acc[i] = acc[i]! + src[base + i]! * w
    }
    const o = y * rowLength
    for (let i = 0; i < rowLength; i++) out[o + i] = clip8(acc[i]!)
  }
  return out
}
