import {wasmModule} from './wasm/module.js'

/** Which implementation runs the numeric kernels: WebAssembly SIMD, or the TypeScript reference. */
export type KernelBackend = 'wasm' | 'typescript'

/**
 * Decided once, at the edge, into the settings: WebAssembly unless DPT_WASM=0 asks for the TypeScript reference
 * (comparisons; it writes 16-bit PNGs with zlib) or the runtime has no WebAssembly SIMD. Both give the same values.
 */
export function kernelBackend(env: NodeJS.ProcessEnv): KernelBackend {
  return env.DPT_WASM === '0' || wasmModule() === null ? 'typescript' : 'wasm'
}
