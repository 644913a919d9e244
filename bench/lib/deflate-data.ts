import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, readdirSync} from 'node:fs'
import {basename, join} from 'node:path'
import sharp from 'sharp'
import {png16RowsWasm} from '../../src/kernels/png16-rows.wasm.js'
import {upsampleBicubicWasm} from '../../src/kernels/upsample-bicubic.wasm.js'
import {WasmInstance} from '../../src/kernels/wasm/module.js'
import {minMaxFinite, toUint16Reference} from '../../src/kernels/depth-scale.js'
import {decodeNpyFloat32} from '../../src/formats/npy.js'
import {runDptJson} from './cli.js'
import {ensureBenchModel} from './models.js'
import {benchCache} from './paths.js'

/** The bytes a 16-bit depth PNG's IDAT compresses, with what its pixels must decode to. */
export interface DepthRows {
  readonly name: string
  readonly width: number
  readonly height: number
  /** Sub-filtered big-endian rows ((1 + 2·width)·height bytes), as png16RowsWasm makes them for the PNG. */
  readonly rows: Uint8Array
  /** sha256 of toUint16Reference of the map (native-endian bytes): the pixels every coder's PNG must decode to. */
  readonly pixelsSha256: string
}

export const DATA_SETS = ['hybrid', 'smooth', 'upsampled'] as const
export type DataSet = (typeof DATA_SETS)[number]

/** What each set is, for the report. */
export const DATA_SET_NOTES: Record<DataSet, string> = {
  hybrid: 'full-size outputs of the random-weight DPT-Hybrid (dpt depth --format npy): noisy, mostly literals',
  smooth: 'luminance of the photos blurred (σ 4 px) in 8 bits: smooth with flat steps, many runs',
  upsampled: 'luminance at the network size of DPT-Hybrid (short side 384), bicubic-upsampled to full size as depth is: smooth in float',
}

let instance: WasmInstance | undefined
const wasm = (): WasmInstance => (instance ??= new WasmInstance())

function depthRows(name: string, map: Float32Array, width: number, height: number): DepthRows {
  const range = minMaxFinite(map)
  const pixels = toUint16Reference(map, range.min, range.max)
  return {
    name,
    width,
    height,
    rows: png16RowsWasm(wasm(), map, width, height, range).slice(),
    pixelsSha256: createHash('sha256')
      .update(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength))
      .digest('hex'),
  }
}

/** dpt depth --format npy over the photos, once, into the bench cache; the maps in the photos' order. */
async function hybridMaps(photos: string, count: number): Promise<string[]> {
  const dir = join(benchCache, `deflate-maps-dpt-hybrid-${count}`)
  const npy = (): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.npy'))
          .sort()
      : []
  if (npy().length !== count) {
    mkdirSync(dir, {recursive: true})
    console.error(`Writing the random-weight DPT-Hybrid maps of ${count} photos to ${dir} (once)…`)
    await runDptJson(['depth', photos, '-o', dir, '--model', ensureBenchModel('dpt-hybrid'), '--format', 'npy', '--skip-existing'])
  }
  return npy().map((f) => join(dir, f))
}

async function luminance(photo: string, sigma: number): Promise<{map: Float32Array; width: number; height: number}> {
  const {data, info} = await sharp(photo).greyscale().blur(sigma).raw().toBuffer({resolveWithObject: true})
  return {map: Float32Array.from(data), width: info.width, height: info.height}
}

/** DPT-Hybrid's network size for a photo: short side 384, the other a multiple of 32 keeping the aspect. */
function networkSize(width: number, height: number): [number, number] {
  const scale = 384 / Math.min(width, height)
  const side = (n: number): number => Math.max(32, Math.round((n * scale) / 32) * 32)
  return width <= height ? [384, side(height)] : [side(width), 384]
}

async function upsampledLuminance(photo: string): Promise<{map: Float32Array; width: number; height: number}> {
  const meta = await sharp(photo).metadata()
  const [width, height] = [meta.width, meta.height]
  const [lw, lh] = networkSize(width, height)
  const low = await sharp(photo).greyscale().resize(lw, lh, {fit: 'fill'}).raw().toBuffer()
  const {depth} = upsampleBicubicWasm(wasm(), Float32Array.from(low), lw, lh, width, height)
  return {map: depth.slice(), width, height}
}

/** The rows of one data set over the photos (JPEG paths, sorted). */
export async function loadRows(set: DataSet, photos: string, files: readonly string[]): Promise<DepthRows[]> {
  const out: DepthRows[] = []
  if (set === 'hybrid') {
    for (const path of await hybridMaps(photos, files.length)) {
      const {shape, data} = decodeNpyFloat32(readFileSync(path))
      const [height, width] = shape as [number, number]
      out.push(depthRows(basename(path), data, width, height))
    }
    return out
  }
  for (const photo of files) {
    const {map, width, height} = set === 'smooth' ? await luminance(photo, 4) : await upsampledLuminance(photo)
    out.push(depthRows(basename(photo), map, width, height))
  }
  return out
}
