import {referenceScale} from './depth-scale.js'
import type {WasmInstance} from './wasm/module.js'

/**
 * The WebAssembly bindings of the reference's min-max scaling (depth-scale.ts), for the video encoders: each frame's
 * levels go into a fresh array that the encoder's pipe may still hold after the call. `depth` is copied into the
 * instance's memory, so it must not be a view of that memory.
 */

/** toUint16Reference(depth, min, max): the same values. */
export function toUint16ReferenceWasm(instance: WasmInstance, depth: Float32Array, min: number, max: number): Uint16Array {
  const [source, out] = layoutWith(instance, depth, [2 * depth.length]) as [number, number]
  const {lo, span, zero} = referenceScale(min, max)
  instance.exports.depth_u16(source, depth.length, lo, span, zero ? 1 : 0, out)
  return new Uint16Array(instance.buffer, out, depth.length).slice()
}

/** applyColormap(toUint8Reference(depth, min, max), …) with the colour map's 256×3 table (colormapLut): RGB bytes. */
export function colormapReferenceWasm(instance: WasmInstance, depth: Float32Array, min: number, max: number, lut: Uint8Array): Uint8Array {
  if (lut.length !== 768) throw new RangeError(`Expected a 256×3 colour table, got ${lut.length} bytes.`)
  const [source, table, out] = layoutWith(instance, depth, [lut.length, 3 * depth.length]) as [number, number, number]
  new Uint8Array(instance.buffer, table, lut.length).set(lut)
  const {lo, span, zero} = referenceScale(min, max)
  instance.exports.depth_rgb(source, depth.length, lo, span, zero ? 1 : 0, table, out)
  return new Uint8Array(instance.buffer, out, 3 * depth.length).slice()
}

/** The map copied in first, then room for the blocks after it: their offsets, the map's first. */
function layoutWith(instance: WasmInstance, depth: Float32Array, sizes: readonly number[]): number[] {
  if (depth.buffer === instance.buffer) throw new RangeError('The map must not live in the instance it is scaled by.')
  const offsets = instance.layout([depth.byteLength, ...sizes])
  new Float32Array(instance.buffer, offsets[0], depth.length).set(depth)
  return offsets
}
