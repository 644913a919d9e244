import {referenceScale, type ValueRange} from './depth-scale.js'
import {align, type WasmInstance} from './wasm/module.js'

/**
 * The WebAssembly binding of png16-rows.ts: the Sub-filtered big-endian rows of a 16-bit PNG ((1 + 2·width)·height
 * bytes) of toUint16Reference(depth, range.min, range.max). `depth` may be the view upsampleBicubicWasm(…, true)
 * returned (no copy) or any map (copied in). A view of the instance's memory, valid until its next call.
 */
export function png16RowsWasm(instance: WasmInstance, depth: Float32Array, width: number, height: number, range: ValueRange): Uint8Array {
  const {rows, rowBytes} = writeRows(instance, depth, width, height, range)
  return new Uint8Array(instance.buffer, rows, rowBytes)
}

/**
 * The zlib stream of those rows, from deflate.c (deflate.wasm.ts: Z_RLE's matches, a Huffman code per block): the
 * IDAT of the PNG. A view valid until the instance's next call; formats/png16.ts puts the file around it.
 */
export function png16StreamWasm(instance: WasmInstance, depth: Float32Array, width: number, height: number, range: ValueRange): Uint8Array {
  const {rows, rowBytes, stream} = writeRows(instance, depth, width, height, range)
  const length = instance.exports.zlib_compress(rows, rowBytes, stream)
  return new Uint8Array(instance.buffer, stream, length)
}

/** Writes the rows; their offset and the room after them for their zlib stream. */
function writeRows(
  instance: WasmInstance,
  depth: Float32Array,
  width: number,
  height: number,
  range: ValueRange,
): {rows: number; rowBytes: number; stream: number} {
  if (depth.length !== width * height) throw new RangeError(`Expected ${width}×${height} values, got ${depth.length}.`)
  const wasm = instance.exports
  const rowBytes = (1 + 2 * width) * height
  const streamBytes = wasm.deflate_bound(rowBytes)
  let source: number
  let rows: number
  let stream: number
  if (depth.buffer === instance.buffer) {
    // The map upsampleBicubicWasm left in place, with the room it reserved after it.
    source = depth.byteOffset
    rows = align(source + depth.byteLength)
    stream = align(rows + rowBytes)
    if (stream + streamBytes > instance.buffer.byteLength) throw new RangeError('The PNG rows were not reserved by upsampleBicubicWasm.')
  } else {
    ;[source, rows, stream] = instance.layout([depth.byteLength, rowBytes, streamBytes]) as [number, number, number]
    new Float32Array(instance.buffer, source, depth.length).set(depth)
  }
  const {lo, span, zero} = referenceScale(range.min, range.max)
  wasm.png16_rows(source, width, height, lo, span, zero ? 1 : 0, rows)
  return {rows, rowBytes, stream}
}
