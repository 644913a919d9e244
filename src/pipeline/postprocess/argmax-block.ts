/**
 * Step 2 of the pruned argmax (`segment-argmax.ts`): labels a block of output pixels in which several
 * channels survived the bounds of `argmax-prune.ts`.
 *
 * Survivors are interpolated in double precision, most promising first (by the midpoint of their bounds).
 * Before each, the smallest best value so far of every block row prunes further: a survivor is skipped
 * when its block bound, or the bound of each output row from its source rows' min and max, stays below
 * it; once its first (horizontal) pass is computed, so is every row its second pass cannot bring up to
 * the row's smallest best. A pixel whose best double value leads the runner-up by more than 2·tol (tol
 * bounds the difference between a double value and PyTorch's float32 one) is decided; at the others the
 * channels within 2·tol of the best are computed with PyTorch's exact float32 arithmetic, in channel
 * order ({@link ExactValues}), so that ties go to the first index.
 * Every skip compares bounds against best values less 2·margin (margin ≥ tol), so none can drop a pixel's
 * float32 maximum.
 */
import {MAX_BAND, type TapAxis} from './argmax-axis.js'
import {type ExactKernel, ExactValues, PASS_ROWS} from './argmax-exact.js'

export class BlockDecider {
  private readonly plane: number
  private readonly order: Int32Array
  /** Per survivor slot and block row: 1 when the slot's values of that row were computed. */
  private readonly evaluated: Uint8Array
  private readonly horizontal: Float64Array
  private readonly horizontalMax: Float64Array
  private readonly horizontalMin: Float64Array
  /** Smallest best value per block row. */
  private readonly rowFloor: Float64Array
  private readonly values: Float64Array
  private readonly best: Float64Array
  private readonly second: Float64Array
  private readonly bestSlot: Int32Array
  private readonly exact: ExactValues
  /** Largest deviation of a column pass's weight sum from 1. */
  private readonly columnSumDeviation: number

  constructor(
    private readonly logits: Float32Array,
    channels: number,
    private readonly width: number,
    height: number,
    private readonly rows: TapAxis,
    private readonly columns: TapAxis,
    exact: ExactKernel,
    private readonly labels: Uint8Array,
    private readonly dstWidth: number,
  ) {
    this.plane = width * height
    this.columnSumDeviation = Math.max(Math.abs(columns.sumMax - 1), Math.abs(columns.sumMin - 1))
    const pixels = MAX_BAND * MAX_BAND
    this.order = new Int32Array(channels)
    this.evaluated = new Uint8Array(channels * MAX_BAND)
    this.horizontal = new Float64Array(PASS_ROWS * MAX_BAND)
    this.horizontalMax = new Float64Array(PASS_ROWS)
    this.horizontalMin = new Float64Array(PASS_ROWS)
    this.rowFloor = new Float64Array(MAX_BAND)
    this.values = new Float64Array(channels * pixels)
    this.best = new Float64Array(pixels)
    this.second = new Float64Array(pixels)
    this.bestSlot = new Int32Array(pixels)
    this.exact = new ExactValues(exact, rows, channels)
  }

  /**
   * Labels output columns [x0, x0 + nx) × rows [y0, y0 + ny). `candidates[0 .. count)` are the surviving
   * channels, ascending; `upper`/`lower` their bounds over the block (by channel), valid up to `margin`;
   * `columnNegative` bounds the magnitude of the negative column weights over the block.
   */
  decide(
    x0: number,
    nx: number,
    y0: number,
    ny: number,
    candidates: Int32Array,
    count: number,
    upper: Float64Array,
    lower: Float64Array,
    tol: number,
    margin: number,
    columnNegative: number,
  ): void {
    const {order, evaluated, values, best, second, bestSlot} = this
    const pixels = nx * ny
    this.exact.startBlock(x0, y0)
    for (let s = 0; s < count; s++) {
      // Insertion sort by bound midpoint, descending: the likely winners first.
      const c = candidates[s]!
      const mid = upper[c]! + lower[c]!
      let i = s
      for (; i > 0; i--) {
        const o = candidates[order[i - 1]!]!
        if (upper[o]! + lower[o]! >= mid) break
        order[i] = order[i - 1]!
      }
      order[i] = s
    }
    best.fill(-Infinity, 0, pixels)
    second.fill(-Infinity, 0, pixels)
    evaluated.fill(0, 0, count * MAX_BAND)
    this.rowFloor.fill(-Infinity, 0, ny)
    let floor = -Infinity
    for (let i = 0; i < count; i++) {
      const s = order[i]!
      const c = candidates[s]!
      // Below the smallest best value everywhere (with both error margins): cannot win nor tie.
      if (upper[c]! < floor - 2 * margin) continue
      if (!this.mayReachFloor(c, x0, nx, y0, ny, 2 * margin, columnNegative)) continue
      floor = this.interpolate(c, s, x0, nx, y0, ny, 2 * margin)
    }
    const near = 2 * tol
    for (let y = y0, p = 0; y < y0 + ny; y++) {
      const row = y * this.dstWidth
      for (let x = x0; x < x0 + nx; x++, p++) {
        const top = best[p]!
        let label = candidates[bestSlot[p]!]!
        if (top - second[p]! <= near) {
          let exactTop = -Infinity
          for (let s = 0; s < count; s++) {
            if (evaluated[s * MAX_BAND + y - y0] === 0 || values[s * pixels + p]! < top - near) continue
            const c = candidates[s]!
            const v = this.exact.at(c, s, x, y)
            if (v > exactTop) {
              exactTop = v
              label = c
            }
          }
        }
        this.labels[row + x] = label
      }
    }
  }

  /**
   * Whether channel c may reach, in some output row of the block, that row's smallest best value less
   * `slack`: its first pass bounded from each source row's min and max, without computing it.
   */
  private mayReachFloor(c: number, x0: number, nx: number, y0: number, ny: number, slack: number, columnNegative: number): boolean {
    const {logits, rows, columns, horizontalMax, horizontalMin, rowFloor} = this
    const rt = rows.taps
    const ri = rows.index
    const rw = rows.weight
    const sy0 = ri[y0 * rt]!
    const sy1 = ri[(y0 + ny - 1) * rt + rt - 1]!
    const c0 = columns.index[x0 * columns.taps]!
    const c1 = columns.index[(x0 + nx) * columns.taps - 1]!
    for (let sy = sy0; sy <= sy1; sy++) {
      const row = c * this.plane + sy * this.width
      let hi = -Infinity
      let lo = Infinity
      for (let i = row + c0; i <= row + c1; i++) {
        const v = logits[i]!
        hi = v > hi ? v : hi
        lo = v < lo ? v : lo
      }
      const spread = (hi - lo) * columnNegative + this.columnSumDeviation * Math.max(hi, -lo)
      horizontalMax[sy - sy0] = hi + spread
      horizontalMin[sy - sy0] = lo - spread
    }
    for (let y = y0; y < y0 + ny; y++) {
      let bound = 0
      for (let t = y * rt; t < y * rt + rt; t++) {
        const w = rw[t]!
        bound += w * (w >= 0 ? horizontalMax[ri[t]! - sy0]! : horizontalMin[ri[t]! - sy0]!)
      }
      if (bound >= rowFloor[y - y0]! - slack) return true
    }
    return false
  }

  /**
   * Channel `c` over the block in double precision (separably, the kernel's float32 weights) into slot `s`,
   * skipping the rows where it stays `slack` below the row's smallest best; returns the new smallest best.
   */
  private interpolate(c: number, s: number, x0: number, nx: number, y0: number, ny: number, slack: number): number {
    const {logits, rows, columns, horizontal, horizontalMax, horizontalMin, rowFloor, evaluated, values, best, second, bestSlot} = this
    const ct = columns.taps
    const rt = rows.taps
    const ci = columns.index
    const cw = columns.weight
    const ri = rows.index
    const rw = rows.weight
    const sy0 = ri[y0 * rt]!
    const sy1 = ri[(y0 + ny - 1) * rt + rt - 1]!
    for (let sy = sy0, h = 0; sy <= sy1; sy++) {
      const base = c * this.plane + sy * this.width
      let hi = -Infinity
      let lo = Infinity
      for (let e = x0 * ct; e < (x0 + nx) * ct; e += ct, h++) {
        const v =
          ct === 4
            ? cw[e]! * logits[base + ci[e]!]! +
              cw[e + 1]! * logits[base + ci[e + 1]!]! +
              cw[e + 2]! * logits[base + ci[e + 2]!]! +
              cw[e + 3]! * logits[base + ci[e + 3]!]!
            : cw[e]! * logits[base + ci[e]!]! + cw[e + 1]! * logits[base + ci[e + 1]!]!
        horizontal[h] = v
        hi = v > hi ? v : hi
        lo = v < lo ? v : lo
      }
      horizontalMax[sy - sy0] = hi
      horizontalMin[sy - sy0] = lo
    }
    const pixels = nx * ny
    let floor = Infinity
    for (let y = y0, p = 0; y < y0 + ny; y++) {
      const e = y * rt
      // The row's largest value: each tap row at its max (positive weight) or min (negative weight).
      let bound = 0
      for (let t = e; t < e + rt; t++) {
        const w = rw[t]!
        bound += w * (w >= 0 ? horizontalMax[ri[t]! - sy0]! : horizontalMin[ri[t]! - sy0]!)
      }
      if (bound < rowFloor[y - y0]! - slack) {
        p += nx
        floor = Math.min(floor, rowFloor[y - y0]!)
        continue
      }
      evaluated[s * MAX_BAND + y - y0] = 1
      const r0 = (ri[e]! - sy0) * nx
      const r1 = (ri[e + 1]! - sy0) * nx
      const w0 = rw[e]!
      const w1 = rw[e + 1]!
      const four = rt === 4
      const r2 = four ? (ri[e + 2]! - sy0) * nx : 0
      const r3 = four ? (ri[e + 3]! - sy0) * nx : 0
      const w2 = four ? rw[e + 2]! : 0
      const w3 = four ? rw[e + 3]! : 0
      let rowMin = Infinity
      for (let x = 0; x < nx; x++, p++) {
        const v = four
          ? w0 * horizontal[r0 + x]! + w1 * horizontal[r1 + x]! + w2 * horizontal[r2 + x]! + w3 * horizontal[r3 + x]!
          : w0 * horizontal[r0 + x]! + w1 * horizontal[r1 + x]!
        values[s * pixels + p] = v
        if (v > best[p]!) {
          second[p] = best[p]!
          best[p] = v
          bestSlot[p] = s
        } else if (v > second[p]!) second[p] = v
        rowMin = best[p]! < rowMin ? best[p]! : rowMin
      }
      rowFloor[y - y0] = rowMin
      floor = Math.min(floor, rowMin)
    }
    return floor
  }
}
