/**
 * PyTorch's exact float32 value of a logit channel at an output pixel, for the near ties of the pruned
 * argmax (`argmax-block.ts`). Where PyTorch's kernel is separable the first-pass values (a source row
 * interpolated at an output column) are memoised per block and survivor, so that a block full of near
 * ties costs little more than a plain upsample of the channels involved.
 */
import {MAX_BAND, type TapAxis} from './argmax-axis.js'

/** PyTorch's float32 arithmetic for one channel of the logits. */
export interface ExactKernel {
  /** Channel c at output (x, y). */
  at(channel: number, x: number, y: number): number
  /** The same in two passes, when PyTorch's kernel is separable. */
  readonly passes?: ExactPasses
}

export interface ExactPasses {
  /** First pass: source row sy of channel c at output column x. */
  row(channel: number, sy: number, x: number): number
  /** Second pass: output row y from the first-pass values of its tap rows, in tap order (bilinear: two). */
  column(y: number, t0: number, t1: number, t2: number, t3: number): number
}

/** Source rows of a block's taps at most (two 4-pixel tiles). */
export const PASS_ROWS = 8

export class ExactValues {
  private readonly firstPass: Float32Array
  private readonly firstPassBlock: Int32Array
  private block = 0
  private x0 = 0
  private sy0 = 0

  constructor(
    private readonly kernel: ExactKernel,
    private readonly rows: TapAxis,
    channels: number,
  ) {
    this.firstPass = new Float32Array(channels * PASS_ROWS * MAX_BAND)
    this.firstPassBlock = new Int32Array(channels * PASS_ROWS * MAX_BAND).fill(-1)
  }

  /** Starts a block whose top-left output pixel is (x0, y0): forgets the memoised values. */
  startBlock(x0: number, y0: number): void {
    this.block++
    this.x0 = x0
    this.sy0 = this.rows.index[y0 * this.rows.taps]!
  }

  /** Channel c, memoised under survivor slot s, at output (x, y) of the current block. */
  at(c: number, s: number, x: number, y: number): number {
    const passes = this.kernel.passes
    if (passes === undefined) return this.kernel.at(c, x, y)
    const ri = this.rows.index
    const e = y * this.rows.taps
    const t0 = this.firstPassAt(passes, c, s, ri[e]!, x)
    const t1 = this.firstPassAt(passes, c, s, ri[e + 1]!, x)
    if (this.rows.taps === 2) return passes.column(y, t0, t1, 0, 0)
    const t2 = this.firstPassAt(passes, c, s, ri[e + 2]!, x)
    return passes.column(y, t0, t1, t2, this.firstPassAt(passes, c, s, ri[e + 3]!, x))
  }

  private firstPassAt(passes: ExactPasses, c: number, s: number, sy: number, x: number): number {
    const i = (s * PASS_ROWS + sy - this.sy0) * MAX_BAND + x - this.x0
    if (this.firstPassBlock[i] !== this.block) {
      this.firstPass[i] = passes.row(c, sy, x)
      this.firstPassBlock[i] = this.block
    }
    return this.firstPass[i]!
  }
}
