import {toUint16Reference, type ValueRange} from './depth-scale.js'

/**
 * The rows of a reference 16-bit depth PNG, as cv2.imwrite filters them by default: 16-bit values from
 * toUint16Reference, big-endian, each row after the Sub filter-type byte. png16-rows.wasm.ts computes the same
 * bytes in one pass; formats/png16.ts deflates them and writes the file.
 */
const SUB = 1

/**
 * Big-endian samples with the Sub filter: each byte minus the same byte of the pixel to its left (mod 256),
 * one filter-type byte before every row.
 */
export function subFilter16(data: Uint16Array, width: number, height: number, out: Uint8Array): void {
  const stride = 1 + 2 * width
  for (let y = 0; y < height; y++) {
    const row = y * width
    let o = y * stride
    out[o++] = SUB
    let left = 0
    for (let x = 0; x < width; x++) {
      const v = data[row + x]!
      out[o++] = (v >>> 8) - (left >>> 8) // the store keeps the low 8 bits: mod 256
      out[o++] = v - left
      left = v
    }
  }
}

/** The reference rows of a depth map: toUint16Reference(depth, range), then subFilter16. */
export function png16RowsReference(depth: Float32Array, width: number, height: number, range: ValueRange): Uint8Array {
  const rows = new Uint8Array((1 + 2 * width) * height)
  subFilter16(toUint16Reference(depth, range.min, range.max), width, height, rows)
  return rows
}
