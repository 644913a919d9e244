import type {WasmInstance} from './wasm/module.js'

/**
 * deflate.c's zlib stream of any bytes (copied in), the WebAssembly counterpart of deflate.ts (Node's zlib at
 * level 1, Z_RLE): the matches Z_RLE finds, a dynamic Huffman code per block of 65535 bytes, or a stored block
 * where that is smaller. A view valid until the instance's next call.
 */
export function deflateWasm(instance: WasmInstance, data: Uint8Array): Uint8Array {
  const wasm = instance.exports
  const [input, stream] = instance.layout([data.length, wasm.deflate_bound(data.length)]) as [number, number]
  new Uint8Array(instance.buffer, input, data.length).set(data)
  return new Uint8Array(instance.buffer, stream, wasm.zlib_compress(input, data.length, stream))
}

/** The lengths of deflate.c's Huffman code for these symbol counts, none above `limit` (for its tests). */
export function codeLengthsWasm(instance: WasmInstance, frequencies: readonly number[], limit: number): number[] {
  const [counts, lengths] = instance.layout([4 * frequencies.length, frequencies.length]) as [number, number]
  new Uint32Array(instance.buffer, counts, frequencies.length).set(frequencies)
  instance.exports.code_lengths(counts, frequencies.length, limit, lengths)
  return [...new Uint8Array(instance.buffer, lengths, frequencies.length)]
}
