/**
 * Segmentation logits [C, h, w] → class index per pixel of the original image, as the reference
 * post-processing computes it: `F.interpolate(logits, size=(H, W), mode, align_corners=False).argmax(1)`
 * (bicubic: isl-org DPT; bilinear: the Hugging Face ports), the first index winning ties and a NaN beating
 * everything (torch.argmax). The label map equals that of the full float32 upsample bit for bit, without
 * the C×H×W tensor (1.2 GB for 150 classes at 1920×1080) and without interpolating every channel:
 * 1. Bound and prune (`argmax-prune.ts`): per block of output pixels, every channel's interpolated values
 *    are bounded by the min/max of its taps and the kernel's negative weights; channels whose upper bound
 *    is below the best lower bound cannot win. One survivor — most blocks of real logits — labels the block.
 * 2. Decide (`argmax-block.ts`): the survivors are interpolated in double precision, within a proven
 *    rounding bound of PyTorch's float32 values; near ties are settled with PyTorch's exact arithmetic
 *    ({@link bicubicAt}, {@link bilinearAt}).
 * Logits with an infinity or a NaN take the plain path ({@link naiveArgmaxUpsampled}).
 */
import {bicubicTapAxis, bilinearTapAxis, type TapAxis} from './argmax-axis.js'
import type {ExactKernel} from './argmax-exact.js'
import {PrunedArgmax} from './argmax-prune.js'
import {bicubicAt, bicubicColumnAt, bicubicPlan, bicubicRowAt, upsampleBicubic} from '../../kernels/upsample-bicubic.js'
import {bilinearAt, bilinearColumnAt, bilinearPlan, bilinearRowAt, upsampleBilinear} from '../../kernels/upsample-bilinear.js'

export type SegmentUpsampleMode = 'bicubic' | 'bilinear'

function validate(logits: Float32Array, channels: number, width: number, height: number, dstWidth: number, dstHeight: number): void {
  if (!Number.isInteger(channels) || channels < 1 || channels > 255) {
    throw new RangeError(`Expected 1 to 255 channels (labels are bytes), got ${channels}.`)
  }
  for (const [name, v] of [
    ['width', width],
    ['height', height],
    ['dstWidth', dstWidth],
    ['dstHeight', dstHeight],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`Expected ${name} to be a positive integer, got ${v}.`)
  }
  if (logits.length !== channels * width * height) {
    throw new RangeError(`Expected ${channels}×${height}×${width} logits, got ${logits.length} values.`)
  }
}

/**
 * The reference computation, literally: each channel upsampled in full (one at a time) with the exact
 * single-channel kernels, then a running argmax. The test oracle and the fallback for non-finite logits.
 */
export function naiveArgmaxUpsampled(
  logits: Float32Array,
  channels: number,
  width: number,
  height: number,
  dstWidth: number,
  dstHeight: number,
  mode: SegmentUpsampleMode,
): Uint8Array {
  validate(logits, channels, width, height, dstWidth, dstHeight)
  const plane = width * height
  const labels = new Uint8Array(dstWidth * dstHeight)
  let best: Float32Array = new Float32Array(0)
  for (let c = 0; c < channels; c++) {
    const map = logits.subarray(c * plane, (c + 1) * plane)
    const up =
      mode === 'bicubic' ? upsampleBicubic(map, width, height, dstWidth, dstHeight) : upsampleBilinear(map, width, height, dstWidth, dstHeight, c, channels)
    if (c === 0) {
      best = up
      continue
    }
    for (let i = 0; i < up.length; i++) {
      const v = up[i]!
      const b = best[i]!
      // torch.argmax: strictly greater wins, a NaN beats any number, the first NaN stays.
      if (v > b || (v !== v && b === b)) {
        best[i] = v
        labels[i] = c
      }
    }
  }
  return labels
}

/** Class index (0 .. C − 1) per output pixel, row-major: see the module comment. */
export function argmaxUpsampled(
  logits: Float32Array,
  channels: number,
  width: number,
  height: number,
  dstWidth: number,
  dstHeight: number,
  mode: SegmentUpsampleMode,
): Uint8Array {
  validate(logits, channels, width, height, dstWidth, dstHeight)
  const plane = width * height
  let rows: TapAxis
  let columns: TapAxis
  let exact: ExactKernel
  if (mode === 'bicubic') {
    const plan = bicubicPlan(width, height, dstWidth, dstHeight)
    rows = bicubicTapAxis(plan.rows)
    columns = bicubicTapAxis(plan.columns)
    exact = {
      at: (c, x, y) => bicubicAt(plan, logits, c * plane, x, y),
      passes: {
        row: (c, sy, x) => bicubicRowAt(plan, logits, c * plane, sy, x),
        column: (y, t0, t1, t2, t3) => bicubicColumnAt(plan, y, t0, t1, t2, t3),
      },
    }
  } else {
    const plan = bilinearPlan(width, height, dstWidth, dstHeight)
    rows = bilinearTapAxis(plan.rows)
    columns = bilinearTapAxis(plan.columns)
    const at = (c: number, x: number, y: number): number => bilinearAt(plan, logits, c * plane, x, y, c, channels)
    // The channels-last kernel (small outputs) weights the four corners at once: no passes.
    exact =
      plan.kernel === 'generic'
        ? {at, passes: {row: (c, sy, x) => bilinearRowAt(plan, logits, c * plane, sy, x), column: (y, t0, t1) => bilinearColumnAt(plan, y, t0, t1)}}
        : {at}
  }
  const pruned = new PrunedArgmax(logits, channels, width, height, rows, columns, exact).run()
  return pruned ?? naiveArgmaxUpsampled(logits, channels, width, height, dstWidth, dstHeight, mode)
}
