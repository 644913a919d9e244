import type {Triple} from '../pipeline/preprocess/normalize.js'
import {cubicColumnTaps, cubicTaps} from './resize-cubic.js'
import {WasmInstance} from './wasm/module.js'

/**
 * The WebAssembly binding of resize-cubic.ts for the network input: the cv2-cubic resize of an 8-bit image
 * (resizeCubicUnitInto, then toNchw in float64) with the same bits for about a third of the CPU. Only the source
 * rows the resize reads are copied in, four at a time, so memory holds a few rows and the output, not the decoded
 * image.
 */
export class CubicInputKernels {
  private readonly instance = new WasmInstance()
  private readonly unit: number

  constructor() {
    ;[this.unit] = this.instance.layout([256 * 8]) as [number]
    this.instance.exports.cubic_unit_table(this.unit)
  }

  /** Planar float32 (3 × dstHeight × dstWidth) of (cv2 INTER_CUBIC of src / 255.0 − mean) / std. */
  resizeNormalize(src: Uint8Array, width: number, height: number, dstWidth: number, dstHeight: number, mean: Triple, std: Triple): Float32Array {
    if (src.length !== width * height * 3) throw new RangeError(`Expected ${width}×${height}×3 source values, got ${src.length}.`)
    const n = dstWidth * 3
    const rowBytes = width * 3
    const plane = dstWidth * dstHeight
    // The unit table stays first; everything after it is laid out again for this image.
    const [, stats, off, w, slots, lines, out] = this.instance.layout([256 * 8, 6 * 8, 16 * n, 32 * n, 4 * rowBytes, 4 * 8 * n, 3 * 4 * plane]) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    const memory = this.instance.buffer
    new Float64Array(memory, stats, 6).set([...mean, ...std])
    const columns = cubicColumnTaps(width, dstWidth, 3)
    new Int32Array(memory, off, 4 * n).set(columns.offset)
    new Float64Array(memory, w, 4 * n).set(columns.weight)
    const bytes = new Uint8Array(memory)
    const rows = cubicTaps(height, dstHeight)
    // As resizeRows: slot (row & 3) never holds another row the same output row needs.
    const cached = new Int32Array(4).fill(-1)
    const tap = [0, 0, 0, 0]
    for (let y = 0; y < dstHeight; y++) {
      for (let k = 0; k < 4; k++) {
        const sy = rows.index[y * 4 + k]!
        const slot = sy & 3
        const line = lines + slot * 8 * n
        if (cached[slot] !== sy) {
          const row = slots + slot * rowBytes
          bytes.set(src.subarray(sy * rowBytes, (sy + 1) * rowBytes), row)
          this.instance.exports.cubic_row(row, n, off, w, this.unit, line)
          cached[slot] = sy
        }
        tap[k] = line
      }
      const b = y * 4
      this.instance.exports.cubic_column(
        tap[0]!,
        tap[1]!,
        tap[2]!,
        tap[3]!,
        rows.weight[b]!,
        rows.weight[b + 1]!,
        rows.weight[b + 2]!,
        rows.weight[b + 3]!,
        dstWidth,
        y,
        plane,
        stats,
        stats + 24,
        out,
      )
    }
    return new Float32Array(memory, out, 3 * plane).slice()
  }
}

let inputKernels: CubicInputKernels | undefined

/** The process's one CubicInputKernels: preparing an input is synchronous, so one instance serves every image. */
export function cubicInputKernels(): CubicInputKernels {
  inputKernels ??= new CubicInputKernels()
  return inputKernels
}
