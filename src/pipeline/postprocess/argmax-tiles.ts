/**
 * Per-channel max and min of planar logits [C, h, w] over TILE×TILE source tiles, one row of tiles at a
 * time (each logit is read once), and their combination over the two tile rows that hold a band's taps.
 */
import {TILE} from './argmax-axis.js'

interface TileRow {
  row: number
  /** max and min of channel c over tile tx at [c · tilesX + tx]. */
  readonly max: Float32Array
  readonly min: Float32Array
  /** Largest magnitude in the row. */
  magnitude: number
  /** False when the row holds an infinity or a NaN. */
  finite: boolean
}

export class TileRows {
  readonly tilesX: number
  readonly tilesY: number
  private readonly slots: TileRow[]

  constructor(
    private readonly logits: Float32Array,
    private readonly channels: number,
    private readonly width: number,
    private readonly height: number,
  ) {
    this.tilesX = Math.ceil(width / TILE)
    this.tilesY = Math.ceil(height / TILE)
    const size = channels * this.tilesX
    this.slots = [0, 1].map(() => ({row: -1, max: new Float32Array(size), min: new Float32Array(size), magnitude: 0, finite: true}))
  }

  /** Tile row `r` (clamped to the last one); the two most recent rows stay cached. */
  get(r: number): TileRow {
    const row = Math.min(r, this.tilesY - 1)
    const slot = this.slots[row & 1]!
    if (slot.row !== row) this.compute(row, slot)
    return slot
  }

  private compute(r: number, slot: TileRow): void {
    const {logits, width, tilesX} = this
    const y0 = r * TILE
    const y1 = Math.min(y0 + TILE, this.height)
    const plane = width * this.height
    const whole = Math.floor(width / TILE) // full tiles: read unrolled, TILE = 4 values per row
    const {max, min} = slot
    let finite = true
    let magnitude = 0
    for (let c = 0; c < this.channels; c++) {
      const base = c * plane
      for (let tx = 0; tx < tilesX; tx++) {
        let hi = -Infinity
        let lo = Infinity
        let sum = 0
        if (tx < whole) {
          for (let y = y0; y < y1; y++) {
            const i = base + y * width + tx * TILE
            const a = logits[i]!
            const b = logits[i + 1]!
            const d = logits[i + 2]!
            const e = logits[i + 3]!
            // Ternaries: measurably faster than Math.max/min, whose NaN and −0 rules are not needed here.
            const ab = a > b ? a : b
            const de = d > e ? d : e
            const ba = a > b ? b : a
            const ed = d > e ? e : d
            const h = ab > de ? ab : de
            const l = ba > ed ? ed : ba
            hi = h > hi ? h : hi
            lo = l < lo ? l : lo
            sum += a + b + (d + e)
          }
        } else {
          for (let y = y0; y < y1; y++) {
            const row = base + y * width
            for (let i = row + tx * TILE; i < row + Math.min((tx + 1) * TILE, width); i++) {
              const v = logits[i]!
              hi = v > hi ? v : hi
              lo = v < lo ? v : lo
              sum += v
            }
          }
        }
        max[c * tilesX + tx] = hi
        min[c * tilesX + tx] = lo
        magnitude = hi > magnitude ? hi : magnitude
        magnitude = -lo > magnitude ? -lo : magnitude
        // Selects drop a NaN, the sum keeps it (a double sum of float32 values cannot overflow).
        if (sum !== sum || hi === Infinity || lo === -Infinity) finite = false
      }
    }
    slot.row = r
    slot.magnitude = magnitude
    slot.finite = finite
  }
}

/**
 * Max and min of every channel over the 2×2 tiles (tile rows `top` and `bottom`, tile columns tx and
 * tx + 1, clamped) that hold the taps of a block starting in tile column tx, at [c · tilesX + tx].
 */
export function combineTileRows(top: TileRow, bottom: TileRow, channels: number, tilesX: number, max: Float32Array, min: Float32Array): void {
  const {max: topMax, min: topMin} = top
  const {max: bottomMax, min: bottomMin} = bottom
  // Channel by channel: neighbouring tiles of a smooth map compare alike, which keeps the selects'
  // branches predictable (across channels they are not).
  for (let c = 0; c < channels; c++) {
    const row = c * tilesX
    let a = topMax[row]!
    let b = bottomMax[row]!
    let hiRight = a > b ? a : b
    a = topMin[row]!
    b = bottomMin[row]!
    let loRight = a < b ? a : b
    for (let tx = 0, o = row; tx < tilesX; tx++, o++) {
      const hiLeft = hiRight
      const loLeft = loRight
      if (tx + 1 < tilesX) {
        a = topMax[row + tx + 1]!
        b = bottomMax[row + tx + 1]!
        hiRight = a > b ? a : b
        a = topMin[row + tx + 1]!
        b = bottomMin[row + tx + 1]!
        loRight = a < b ? a : b
      }
      max[o] = hiLeft > hiRight ? hiLeft : hiRight
      min[o] = loLeft < loRight ? loLeft : loRight
    }
  }
}
