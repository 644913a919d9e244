import {KERNELS_WASM_BASE64} from './kernels.wasm.js'

/**
 * The WebAssembly SIMD module (kernels.c and deflate.c, built by tools/build-wasm.sh) and its instances. Each
 * operation's binding sits next to its TypeScript reference: upsample-bicubic.wasm.ts, png16-rows.wasm.ts,
 * depth-scale.wasm.ts, deflate.wasm.ts, resize-cubic.wasm.ts. Same bits as the TypeScript versions for a third
 * to a thirteenth of the CPU (12-MP map: 41 against 206 ms, 8 against about 105 ms; 12-MP photo to 512×384: 10
 * against 45 ms; 1080p video frame to 16-bit values and colours: 3.7 and 8 against 10.6 and 36 ms); on two
 * cores that CPU is taken from onnxruntime, so it is throughput. Which backend runs is decided once, in the
 * settings (backend.ts).
 */

export interface Exports {
  readonly memory: WebAssembly.Memory
  readonly __heap_base: WebAssembly.Global
  upsample_bicubic(
    src: number,
    sw: number,
    sh: number,
    dw: number,
    dh: number,
    ci: number,
    cw: number,
    ri: number,
    rw: number,
    cache: number,
    out: number,
  ): void
  range_min(): number
  range_max(): number
  png16_rows(depth: number, width: number, height: number, lo: number, span: number, zero: number, out: number): void
  depth_u16(depth: number, n: number, lo: number, span: number, zero: number, out: number): void
  depth_rgb(depth: number, n: number, lo: number, span: number, zero: number, lut: number, out: number): void
  cubic_unit_table(unit: number): void
  cubic_row(row: number, n: number, off: number, w: number, unit: number, line: number): void
  cubic_column(
    r0: number,
    r1: number,
    r2: number,
    r3: number,
    b0: number,
    b1: number,
    b2: number,
    b3: number,
    dw: number,
    y: number,
    plane: number,
    mean: number,
    std: number,
    out: number,
  ): void
  deflate_bound(n: number): number
  zlib_compress(input: number, n: number, out: number): number
  code_lengths(frequencies: number, n: number, limit: number, out: number): void
}

let compiled: WebAssembly.Module | null | undefined

/** The compiled module, or null on a runtime without WebAssembly SIMD (none that Node 20 ships on). */
export function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64')
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null
  }
  return compiled
}

const PAGE = 65536
// Arithmetic, not bit operations: offsets may pass 2^31 (wasm32 addresses up to 4 GiB).
export const align = (n: number): number => Math.ceil(n / 16) * 16

/** One instance of the module: its own linear memory, laid out by each binding for each call. */
export class WasmInstance {
  readonly exports: Exports
  private readonly base: number

  constructor() {
    const compiledModule = wasmModule()
    if (compiledModule === null) throw new Error('WebAssembly SIMD is not available in this runtime')
    this.exports = new WebAssembly.Instance(compiledModule, {}).exports as unknown as Exports
    this.base = align(this.exports.__heap_base.value as number)
  }

  /** Bytes of linear memory (it never shrinks; the pool drops extra instances instead). */
  get bytes(): number {
    return this.exports.memory.buffer.byteLength
  }

  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer
  }

  /**
   * Offsets of consecutive blocks from the heap base, memory grown to hold them all. Views made before a call that
   * grows memory are detached: bindings lay out first, then make their views.
   */
  layout(sizes: readonly number[]): number[] {
    const offsets: number[] = []
    let top = this.base
    for (const size of sizes) {
      offsets.push(top)
      top = align(top + size)
    }
    const memory = this.exports.memory
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / PAGE))
    return offsets
  }
}

/**
 * Instances lent to one image at a time (images finish concurrently) and taken back; at most `keep` idle ones,
 * the largest, are held, so memory is bounded by the largest images seen, as with ScratchArrays.
 */
export class WasmInstancePool {
  private readonly idle: WasmInstance[] = []

  constructor(private readonly keep = 1) {}

  take(): WasmInstance {
    return this.idle.shift() ?? new WasmInstance()
  }

  give(instance: WasmInstance): void {
    this.idle.push(instance)
    this.idle.sort((a, b) => b.bytes - a.bytes)
    this.idle.length = Math.min(this.idle.length, this.keep)
  }
}
