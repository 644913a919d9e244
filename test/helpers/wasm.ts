import assert from 'node:assert/strict'
import type {ValueRange} from '../../src/kernels/depth-scale.js'
import {codeLengthsWasm, deflateWasm} from '../../src/kernels/deflate.wasm.js'
import {png16RowsWasm, png16StreamWasm} from '../../src/kernels/png16-rows.wasm.js'
import type {BicubicPlan} from '../../src/kernels/upsample-bicubic.js'
import {upsampleBicubicWasm, upsampleWithPlanWasm} from '../../src/kernels/upsample-bicubic.wasm.js'
import {wasmModule, WasmInstance} from '../../src/kernels/wasm/module.js'
import {png16File} from '../../src/formats/png16.js'

/** The WebAssembly bindings on one fresh instance, as methods: what the kernel tests call. */
export interface WasmKernels {
  readonly instance: WasmInstance
  upsampleBicubic(
    src: Float32Array,
    width: number,
    height: number,
    dstWidth: number,
    dstHeight: number,
    pngRows?: boolean,
  ): {depth: Float32Array; range: ValueRange}
  upsampleWithPlan(plan: BicubicPlan, src: Float32Array, pngRows?: boolean): {depth: Float32Array; range: ValueRange}
  png16Rows(depth: Float32Array, width: number, height: number, range: ValueRange): Uint8Array
  /** The whole 16-bit PNG file's parts, the IDAT from deflate.c. */
  png16(depth: Float32Array, width: number, height: number, range: ValueRange): Uint8Array[]
  zlib(data: Uint8Array): Uint8Array
  codeLengths(frequencies: readonly number[], limit: number): number[]
}

export function wasmKernels(): WasmKernels {
  assert.ok(wasmModule(), 'WebAssembly SIMD is available in every Node this project supports')
  const instance = new WasmInstance()
  return {
    instance,
    upsampleBicubic: (...a) => upsampleBicubicWasm(instance, ...a),
    upsampleWithPlan: (...a) => upsampleWithPlanWasm(instance, ...a),
    png16Rows: (...a) => png16RowsWasm(instance, ...a),
    png16: (depth, width, height, range) => png16File(width, height, [png16StreamWasm(instance, depth, width, height, range)]),
    zlib: (data) => deflateWasm(instance, data),
    codeLengths: (...a) => codeLengthsWasm(instance, ...a),
  }
}
