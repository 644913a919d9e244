import {minMaxFinite, type ValueRange} from './depth-scale.js'
import {bicubicPlan, type BicubicAxis, type BicubicPlan} from './upsample-bicubic.js'
import type {WasmInstance} from './wasm/module.js'

/**
 * The WebAssembly binding of upsample-bicubic.ts: `F.interpolate(src, size=(dstHeight, dstWidth), mode='bicubic',
 * align_corners=False)`, bit-exact with upsampleBicubic, and minMaxFinite of it from the same pass (unless the map
 * holds an infinity). The map is a view of the instance's memory, valid until its next call. With `pngRows`, room
 * for the 16-bit PNG of the result (png16-rows.wasm.ts: its rows, then their zlib stream) is reserved right after
 * it, so that the PNG needs no copy of the map.
 */
export function upsampleBicubicWasm(
  instance: WasmInstance,
  src: Float32Array,
  width: number,
  height: number,
  dstWidth: number,
  dstHeight: number,
  pngRows = false,
): {depth: Float32Array; range: ValueRange} {
  return upsampleWithPlanWasm(instance, bicubicPlan(width, height, dstWidth, dstHeight), src, pngRows)
}

/** The same with any taps (BicubicRowStream's arithmetic over the plan's tables). */
export function upsampleWithPlanWasm(instance: WasmInstance, plan: BicubicPlan, src: Float32Array, pngRows = false): {depth: Float32Array; range: ValueRange} {
  const {srcWidth: width, srcHeight: height, dstWidth, dstHeight} = plan
  if (src.length !== width * height) throw new RangeError(`Expected ${width}×${height} values, got ${src.length}.`)
  const n = dstWidth * dstHeight
  const wasm = instance.exports
  const [ci, cw, ri, rw, cache, source, out] = instance.layout([
    16 * dstWidth,
    16 * dstWidth,
    16 * dstHeight,
    16 * dstHeight,
    16 * dstWidth,
    4 * src.length,
    4 * n,
    pngRows ? (1 + 2 * dstWidth) * dstHeight : 0,
    pngRows ? wasm.deflate_bound((1 + 2 * dstWidth) * dstHeight) : 0,
  ]) as [number, number, number, number, number, number, number]
  planar(instance, plan.columns, {index: ci, weight: cw}, dstWidth)
  planar(instance, plan.rows, {index: ri, weight: rw}, dstHeight)
  new Float32Array(instance.buffer, source, src.length).set(src)
  wasm.upsample_bicubic(source, width, height, dstWidth, dstHeight, ci, cw, ri, rw, cache, out)
  const depth = new Float32Array(instance.buffer, out, n)
  const min = wasm.range_min()
  const max = wasm.range_max()
  // The pass skipped NaN but not the infinities, which minMaxFinite leaves out.
  if (min === -Infinity || max === Infinity) return {depth, range: minMaxFinite(depth)}
  return {depth, range: min <= max ? {min, max} : {min: 0, max: 0}}
}

/** The plan's taps of one axis, transposed to planar (tap k of every output position together) for SIMD loads. */
function planar(instance: WasmInstance, axis: BicubicAxis, at: {index: number; weight: number}, size: number): void {
  const index = new Int32Array(instance.buffer, at.index, 4 * size)
  const weight = new Float32Array(instance.buffer, at.weight, 4 * size)
  for (let d = 0; d < size; d++) {
    for (let k = 0; k < 4; k++) {
      index[k * size + d] = axis.index[d * 4 + k]!
      weight[k * size + d] = axis.weight[d * 4 + k]!
    }
  }
}
