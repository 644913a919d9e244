/**
 * Step 1 of the pruned argmax (`segment-argmax.ts`): bound every channel over blocks of output pixels,
 * drop the channels that cannot win, and hand the blocks where several survive to {@link BlockDecider}.
 *
 * An interpolated value Σ w·x lies in [m − N·(M − m), M + N·(M − m)] for the min m and max M of its taps
 * and N the magnitude of the negative weights (0 for bilinear, ≤ 0.44 for bicubic), up to the deviation of
 * Σw from 1 and PyTorch's rounding, which `margin` covers. A block is a band of output rows × a band of
 * output columns whose taps lie in 2×2 source tiles, so that the tiles' per-channel min and max
 * ({@link TileRows}, every logit read once) bound all channels at once. A channel whose upper bound is
 * below the best lower bound cannot win nor tie anywhere in the block. (Splitting blocks with many
 * survivors and bounding those again from their own taps was measured slower: it loses the shared first
 * pass of the block's interpolation and the decider's own pruning catches most of them.)
 */
import type {TapAxis} from './argmax-axis.js'
import {BlockDecider} from './argmax-block.js'
import type {ExactKernel} from './argmax-exact.js'
import {combineTileRows, TileRows} from './argmax-tiles.js'

const ULP = 2 ** -24
/** Absolute rounding error of the few float32 operations on subnormal values. */
const SUBNORMAL_ERROR = 2 ** -140

export class PrunedArgmax {
  private readonly dstWidth: number
  private readonly labels: Uint8Array
  /** The survivors of a block, ascending, and every channel's bounds over it. */
  private readonly candidates: Int32Array
  private readonly upper: Float64Array
  private readonly lower: Float64Array
  private readonly decider: BlockDecider

  constructor(
    private readonly logits: Float32Array,
    private readonly channels: number,
    private readonly width: number,
    private readonly height: number,
    private readonly rows: TapAxis,
    private readonly columns: TapAxis,
    exact: ExactKernel,
  ) {
    this.dstWidth = columns.bandStart[columns.bandStart.length - 1]!
    const dstHeight = rows.bandStart[rows.bandStart.length - 1]!
    this.labels = new Uint8Array(this.dstWidth * dstHeight)
    this.candidates = new Int32Array(channels)
    this.upper = new Float64Array(channels)
    this.lower = new Float64Array(channels)
    this.decider = new BlockDecider(logits, channels, width, height, rows, columns, exact, this.labels, this.dstWidth)
  }

  /** The label map, or undefined when the logits hold an infinity or a NaN. */
  run(): Uint8Array | undefined {
    const {rows, columns, channels} = this
    const tiles = new TileRows(this.logits, channels, this.width, this.height)
    const max = new Float32Array(channels * tiles.tilesX)
    const min = new Float32Array(channels * tiles.tilesX)
    // PyTorch's float32 sums round 8 times at most, each by half an ulp of at most Σ|w|·(largest magnitude);
    // tol doubles that. The bounds add the deviation of the weights' sum from 1.
    const tolPerMagnitude = 16 * ULP * rows.absSum * columns.absSum + 4 * ULP
    const sumDeviation = Math.max(Math.abs(rows.sumMax * columns.sumMax - 1), Math.abs(rows.sumMin * columns.sumMin - 1))
    let combined = -1
    let tol = 0
    let margin = 0
    for (let by = 0; by < rows.bandTile.length; by++) {
      const ky = rows.bandTile[by]!
      if (ky !== combined) {
        const top = tiles.get(ky)
        const bottom = tiles.get(ky + 1)
        if (!top.finite || !bottom.finite) return undefined
        combineTileRows(top, bottom, channels, tiles.tilesX, max, min)
        const magnitude = Math.max(top.magnitude, bottom.magnitude)
        tol = tolPerMagnitude * magnitude + SUBNORMAL_ERROR
        margin = tol + sumDeviation * magnitude
        combined = ky
      }
      const y0 = rows.bandStart[by]!
      const ny = rows.bandStart[by + 1]! - y0
      for (let bx = 0; bx < columns.bandTile.length; bx++) {
        // Σ|negative weights| over the block: products of a negative and a positive axis weight.
        const negative = rows.bandPositive[by]! * columns.bandNegative[bx]! + rows.bandNegative[by]! * columns.bandPositive[bx]!
        const count = this.survivors(max, min, columns.bandTile[bx]!, tiles.tilesX, negative, margin)
        const x0 = columns.bandStart[bx]!
        const nx = columns.bandStart[bx + 1]! - x0
        if (count === 1) this.fill(x0, nx, y0, ny, this.candidates[0]!)
        else this.decider.decide(x0, nx, y0, ny, this.candidates, count, this.upper, this.lower, tol, margin, columns.bandNegative[bx]!)
      }
    }
    return this.labels
  }

  /**
   * Bounds every channel over a block (the max and min of its taps at `max`/`min`[c · tilesX + tx]) and
   * keeps in `candidates` those whose upper bound reaches the best lower bound; returns how many (≥ 1).
   */
  private survivors(max: Float32Array, min: Float32Array, tx: number, tilesX: number, negative: number, margin: number): number {
    const {channels, upper, lower, candidates} = this
    let bestLower = -Infinity
    for (let c = 0, i = tx; c < channels; c++, i += tilesX) {
      const hi = max[i]!
      const lo = min[i]!
      const spread = (hi - lo) * negative
      const bottom = lo - spread
      upper[c] = hi + spread
      lower[c] = bottom
      bestLower = bottom > bestLower ? bottom : bestLower
    }
    // Both sides carry their error margin.
    const threshold = bestLower - 2 * margin
    let count = 0
    for (let c = 0; c < channels; c++) if (upper[c]! >= threshold) candidates[count++] = c
    return count
  }

  private fill(x0: number, nx: number, y0: number, ny: number, label: number): void {
    for (let y = y0; y < y0 + ny; y++) this.labels.fill(label, y * this.dstWidth + x0, y * this.dstWidth + x0 + nx)
  }
}
