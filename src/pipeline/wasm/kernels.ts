import {bicubicPlan, type BicubicAxis, type BicubicPlan} from '../postprocess/upsample.js'
import type {Triple} from '../preprocess/normalize.js'
import {cubicColumnTaps, cubicTaps} from '../preprocess/resize-cubic.js'
import {minMaxFinite, referenceScale, type ValueRange} from '../write/depth-scale.js'
import {png16File} from '../write/png16.js'
import {KERNELS_WASM_BASE64} from './kernels.wasm.js'

/**
 * The full-size depth work in WebAssembly SIMD (kernels.c): the bicubic upsample with its min/max in one pass,
 * and the 16-bit PNG rows (reference scaling, big-endian, Sub filter) in another; and the cv2-cubic network
 * input of 8-bit images. Same bits as the TypeScript versions for a fourth to a thirteenth of the CPU (12-MP
 * map: 41 against 206 ms, 8 against about 105 ms; 12-MP photo to 512×384 input: 10 against 45 ms); on two
 * cores that CPU is taken from onnxruntime, so it is throughput. The rows' zlib stream comes from deflate.c
 * (zlib's Z_RLE matches and a Huffman code per block, two to four times as fast as zlib at level 1).
 * DPT_WASM=0 turns it off (the TypeScript path then runs, with zlib), for comparisons.
 */

interface Exports {
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

function module(env: NodeJS.ProcessEnv): WebAssembly.Module | null {
  if (env.DPT_WASM === '0') return null
  if (compiled === undefined) {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64')
    // A runtime without WebAssembly SIMD (none that Node 20 ships on) keeps the TypeScript path.
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null
  }
  return compiled
}

const PAGE = 65536
// Arithmetic, not bit operations: offsets may pass 2^31 (wasm32 addresses up to 4 GiB).
const align = (n: number): number => Math.ceil(n / 16) * 16

/** One instance of the module: its own linear memory, laid out by the caller for each call. */
class Instance {
  protected readonly exports: Exports
  private readonly base: number

  constructor(compiledModule: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(compiledModule, {}).exports as unknown as Exports
    this.base = align(this.exports.__heap_base.value as number)
  }

  /** Bytes of linear memory (it never shrinks; the pool drops extra instances instead). */
  get bytes(): number {
    return this.exports.memory.buffer.byteLength
  }

  /** Offsets of consecutive blocks from the heap base, memory grown to hold them all. */
  protected layout(sizes: readonly number[]): number[] {
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
 * The depth kernels on one instance, holding one image's buffers at a time. Views it returns stay valid until
 * the next call on the same instance (memory only grows inside a call, before any view is made).
 */
export class DepthKernels extends Instance {
  private planar(axis: BicubicAxis, at: {index: number; weight: number}, size: number): void {
    const buffer = this.exports.memory.buffer
    const index = new Int32Array(buffer, at.index, 4 * size)
    const weight = new Float32Array(buffer, at.weight, 4 * size)
    for (let d = 0; d < size; d++) {
      for (let k = 0; k < 4; k++) {
        index[k * size + d] = axis.index[d * 4 + k]!
        weight[k * size + d] = axis.weight[d * 4 + k]!
      }
    }
  }

  /**
   * `F.interpolate(src, size=(dstHeight, dstWidth), mode='bicubic', align_corners=False)`, bit-exact with
   * upsampleBicubic, and minMaxFinite of it (from the same pass unless the map holds an infinity). With `pngRows`, room for
   * {@link png16} (its rows and their zlib stream) of the result is reserved too, so that it needs no copy.
   */
  upsampleBicubic(
    src: Float32Array,
    width: number,
    height: number,
    dstWidth: number,
    dstHeight: number,
    pngRows = false,
  ): {depth: Float32Array; range: ValueRange} {
    return this.upsampleWithPlan(bicubicPlan(width, height, dstWidth, dstHeight), src, pngRows)
  }

  /** The same with any taps (BicubicRowStream's arithmetic over the plan's tables). */
  upsampleWithPlan(plan: BicubicPlan, src: Float32Array, pngRows = false): {depth: Float32Array; range: ValueRange} {
    const {srcWidth: width, srcHeight: height, dstWidth, dstHeight} = plan
    if (src.length !== width * height) throw new RangeError(`Expected ${width}×${height} values, got ${src.length}.`)
    const n = dstWidth * dstHeight
    const [ci, cw, ri, rw, cache, source, out] = this.layout([
      16 * dstWidth,
      16 * dstWidth,
      16 * dstHeight,
      16 * dstHeight,
      16 * dstWidth,
      4 * src.length,
      4 * n,
      pngRows ? (1 + 2 * dstWidth) * dstHeight : 0,
      pngRows ? this.exports.deflate_bound((1 + 2 * dstWidth) * dstHeight) : 0,
    ]) as [number, number, number, number, number, number, number]
    this.planar(plan.columns, {index: ci, weight: cw}, dstWidth)
    this.planar(plan.rows, {index: ri, weight: rw}, dstHeight)
    new Float32Array(this.exports.memory.buffer, source, src.length).set(src)
    this.exports.upsample_bicubic(source, width, height, dstWidth, dstHeight, ci, cw, ri, rw, cache, out)
    const depth = new Float32Array(this.exports.memory.buffer, out, n)
    const min = this.exports.range_min()
    const max = this.exports.range_max()
    // The pass skipped NaN but not the infinities, which minMaxFinite leaves out.
    if (min === -Infinity || max === Infinity) return {depth, range: minMaxFinite(depth)}
    return {depth, range: min <= max ? {min, max} : {min: 0, max: 0}}
  }

  /**
   * The Sub-filtered big-endian rows of a 16-bit PNG ((1 + 2·width)·height bytes) of toUint16Reference(depth,
   * range.min, range.max).
   * `depth` may be the view from upsampleBicubic(…, true) (no copy) or any map (copied in).
   */
  png16Rows(depth: Float32Array, width: number, height: number, range: ValueRange): Uint8Array {
    const {rows, rowBytes} = this.rows(depth, width, height, range)
    return new Uint8Array(this.exports.memory.buffer, rows, rowBytes)
  }

  /**
   * The 16-bit PNG of png16Rows as the parts of its file (png16File), the zlib stream a view of this instance's
   * memory: written as they are, before the next call. The stream is deflate.c's (Z_RLE's matches, a Huffman code
   * per block), not zlib's; the pixels are the same, the bytes differ from the TypeScript path's.
   */
  png16(depth: Float32Array, width: number, height: number, range: ValueRange): Uint8Array[] {
    const {rows, rowBytes, stream} = this.rows(depth, width, height, range)
    const length = this.exports.zlib_compress(rows, rowBytes, stream)
    return png16File(width, height, [new Uint8Array(this.exports.memory.buffer, stream, length)])
  }

  /** deflate.c's zlib stream of any bytes (copied in); a view valid until the next call. */
  zlib(data: Uint8Array): Uint8Array {
    const [input, stream] = this.layout([data.length, this.exports.deflate_bound(data.length)]) as [number, number]
    new Uint8Array(this.exports.memory.buffer, input, data.length).set(data)
    return new Uint8Array(this.exports.memory.buffer, stream, this.exports.zlib_compress(input, data.length, stream))
  }

  /** The lengths of deflate.c's Huffman code for these symbol counts, none above `limit` (for its tests). */
  codeLengths(frequencies: readonly number[], limit: number): number[] {
    const [counts, lengths] = this.layout([4 * frequencies.length, frequencies.length]) as [number, number]
    new Uint32Array(this.exports.memory.buffer, counts, frequencies.length).set(frequencies)
    this.exports.code_lengths(counts, frequencies.length, limit, lengths)
    return [...new Uint8Array(this.exports.memory.buffer, lengths, frequencies.length)]
  }

  /** Writes the rows; their offset and the room after them for their zlib stream. */
  private rows(depth: Float32Array, width: number, height: number, range: ValueRange): {rows: number; rowBytes: number; stream: number} {
    if (depth.length !== width * height) throw new RangeError(`Expected ${width}×${height} values, got ${depth.length}.`)
    const rowBytes = (1 + 2 * width) * height
    const streamBytes = this.exports.deflate_bound(rowBytes)
    let source: number
    let rows: number
    let stream: number
    if (depth.buffer === this.exports.memory.buffer) {
      source = depth.byteOffset
      rows = align(source + depth.byteLength)
      stream = align(rows + rowBytes)
      if (stream + streamBytes > this.exports.memory.buffer.byteLength) throw new RangeError('The PNG rows were not reserved by upsampleBicubic.')
    } else {
      ;[source, rows, stream] = this.layout([depth.byteLength, rowBytes, streamBytes]) as [number, number, number]
      new Float32Array(this.exports.memory.buffer, source, depth.length).set(depth)
    }
    const {lo, span, zero} = referenceScale(range.min, range.max)
    this.exports.png16_rows(source, width, height, lo, span, zero ? 1 : 0, rows)
    return {rows, rowBytes, stream}
  }
}

/**
 * Instances lent to one image at a time (images finish concurrently) and taken back; at most `keep` idle
 * ones, the largest, are held, so memory is bounded by the largest images seen, as with ScratchArrays.
 */
export class DepthKernelPool {
  private readonly idle: DepthKernels[] = []

  constructor(
    private readonly keep = 1,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** An instance, or undefined when WebAssembly SIMD is off or unavailable (use the TypeScript path). */
  take(): DepthKernels | undefined {
    const compiledModule = module(this.env)
    if (compiledModule === null) return undefined
    return this.idle.shift() ?? new DepthKernels(compiledModule)
  }

  give(kernels: DepthKernels): void {
    this.idle.push(kernels)
    this.idle.sort((a, b) => b.bytes - a.bytes)
    this.idle.length = Math.min(this.idle.length, this.keep)
  }
}

/**
 * The cv2-cubic network input of an 8-bit image (resizeCubicUnitInto, then toNchw in float64) in WebAssembly:
 * the same bits for about a third of the CPU. Only the source rows the resize reads are copied in, four at a
 * time, so memory holds a few rows and the output, not the decoded image.
 */
export class CubicInputKernels extends Instance {
  private readonly unit: number

  constructor(compiledModule: WebAssembly.Module) {
    super(compiledModule)
    ;[this.unit] = this.layout([256 * 8]) as [number]
    this.exports.cubic_unit_table(this.unit)
  }

  /** Planar float32 (3 × dstHeight × dstWidth) of (cv2 INTER_CUBIC of src / 255.0 − mean) / std. */
  resizeNormalize(src: Uint8Array, width: number, height: number, dstWidth: number, dstHeight: number, mean: Triple, std: Triple): Float32Array {
    if (src.length !== width * height * 3) throw new RangeError(`Expected ${width}×${height}×3 source values, got ${src.length}.`)
    const n = dstWidth * 3
    const rowBytes = width * 3
    const plane = dstWidth * dstHeight
    // The unit table stays first; everything after it is laid out again for this image.
    const [, stats, off, w, slots, lines, out] = this.layout([256 * 8, 6 * 8, 16 * n, 32 * n, 4 * rowBytes, 4 * 8 * n, 3 * 4 * plane]) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    const memory = this.exports.memory.buffer
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
          this.exports.cubic_row(row, n, off, w, this.unit, line)
          cached[slot] = sy
        }
        tap[k] = line
      }
      const b = y * 4
      this.exports.cubic_column(
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

/**
 * The process's one CubicInputKernels (preparing an input is synchronous, so one instance serves every image),
 * or undefined when WebAssembly is off (DPT_WASM=0) or unavailable.
 */
export function cubicInputKernels(env: NodeJS.ProcessEnv = process.env): CubicInputKernels | undefined {
  const compiledModule = module(env)
  if (compiledModule === null) return undefined
  inputKernels ??= new CubicInputKernels(compiledModule)
  return inputKernels
}
