import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import zlib from 'node:zlib'
import {KERNELS_WASM_BASE64} from '../../src/kernels/wasm/kernels.wasm.js'
import {benchCache, repoRoot} from './paths.js'

/**
 * One way to turn PNG rows into a zlib stream. `load` puts the rows where the coder reads them (untimed: the
 * pipeline's rows are already there), `compress` is what is timed, `output` is the stream it wrote.
 */
export interface Coder {
  readonly name: string
  load(rows: Uint8Array): void
  compress(): void
  output(): Uint8Array
}

interface DeflateExports {
  readonly memory: WebAssembly.Memory
  readonly __heap_base: WebAssembly.Global
  deflate_bound(n: number): number
  zlib_compress(input: number, n: number, out: number): number
  zlib_compress_level?(input: number, n: number, out: number, level: number): number
}

const align = (n: number): number => Math.ceil(n / 16) * 16

/** A module instance of its own, the rows at __heap_base and the stream after them, as src/kernels/wasm/module.ts lays them out. */
class WasmCoder implements Coder {
  private readonly exports: DeflateExports
  private input = 0
  private n = 0
  private out = 0
  private length = 0

  constructor(
    readonly name: string,
    module: WebAssembly.Module,
    private readonly level?: number,
  ) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as DeflateExports
  }

  load(rows: Uint8Array): void {
    this.input = align(this.exports.__heap_base.value as number)
    this.n = rows.length
    this.out = align(this.input + rows.length)
    const top = this.out + this.exports.deflate_bound(rows.length)
    const memory = this.exports.memory
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536))
    new Uint8Array(memory.buffer, this.input, rows.length).set(rows)
  }

  compress(): void {
    const {exports, level} = this
    this.length = level === undefined ? exports.zlib_compress(this.input, this.n, this.out) : exports.zlib_compress_level!(this.input, this.n, this.out, level)
    if (this.length === 0) throw new Error(`${this.name} wrote nothing`)
  }

  output(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, this.out, this.length)
  }
}

/** Node's zlib at the TypeScript path's settings (png16.ts: level 1, Z_RLE, 1 MB chunks), one-shot on this thread. */
class NodeZlibCoder implements Coder {
  readonly name = 'zlib 1 Z_RLE'
  private rows = Buffer.alloc(0)
  private stream = Buffer.alloc(0)

  load(rows: Uint8Array): void {
    if (this.rows.length !== rows.length) this.rows = Buffer.alloc(rows.length)
    this.rows.set(rows)
  }

  compress(): void {
    this.stream = zlib.deflateSync(this.rows, {level: 1, strategy: zlib.constants.Z_RLE, chunkSize: 1 << 20})
  }

  output(): Uint8Array {
    return this.stream
  }
}

/**
 * libdeflate's module (tools/build-libdeflate-wasm.sh bench), built into the bench cache once per version of
 * the build script and the glue, which pin libdeflate's source.
 */
function libdeflateModule(): WebAssembly.Module {
  const hash = createHash('sha256')
  for (const file of ['tools/build-libdeflate-wasm.sh', 'tools/libdeflate/zlib-glue.c']) hash.update(readFileSync(join(repoRoot, file)))
  const wasm = join(benchCache, `libdeflate-${hash.digest('hex').slice(0, 12)}.wasm`)
  if (!existsSync(wasm)) {
    const build = spawnSync('bash', [join(repoRoot, 'tools', 'build-libdeflate-wasm.sh'), 'bench', wasm], {stdio: 'inherit'})
    if (build.status !== 0) throw new Error('tools/build-libdeflate-wasm.sh failed (it needs clang-14 and lld-14, and pip for the source)')
  }
  return new WebAssembly.Module(readFileSync(wasm))
}

/** deflate.c (today's kernels module, as committed), libdeflate at each level, and Node's zlib. */
export function coders(levels: readonly number[]): Coder[] {
  const kernels = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'))
  const libdeflate = levels.length > 0 ? libdeflateModule() : undefined
  return [new WasmCoder('deflate.c', kernels), ...levels.map((level) => new WasmCoder(`libdeflate ${level}`, libdeflate!, level)), new NodeZlibCoder()]
}
