import {readFileSync, existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The repository root: tests run from dist/test, fixtures stay in test/fixtures. */
export const repoRoot = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above the test build')
    dir = parent
  }
  return dir
})()

export const fixture = (...parts: string[]): string => resolve(repoRoot, 'test', 'fixtures', ...parts)

export interface NpyArray {
  readonly dtype: string
  readonly shape: number[]
  readonly data: Float32Array | Float64Array | Uint8Array | Uint16Array | Int32Array | Int64Array
}

type Int64Array = BigInt64Array

const DTYPES: Record<string, (b: ArrayBuffer, o: number, n: number) => NpyArray['data']> = {
  '<f4': (b, o, n) => new Float32Array(b, o, n),
  '<f8': (b, o, n) => new Float64Array(b, o, n),
  '|u1': (b, o, n) => new Uint8Array(b, o, n),
  '<u2': (b, o, n) => new Uint16Array(b, o, n),
  '<i4': (b, o, n) => new Int32Array(b, o, n),
  '<i8': (b, o, n) => new BigInt64Array(b, o, n),
}

/** Reads a little-endian, C-order .npy file (version 1 or 2) as written by numpy.save. */
export function readNpy(path: string): NpyArray {
  const file = readFileSync(path)
  if (file.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${path}: not a .npy file`)
  const major = file[6]
  const headerLength = major === 1 ? file.readUInt16LE(8) : file.readUInt32LE(8)
  const headerStart = major === 1 ? 10 : 12
  const header = file.subarray(headerStart, headerStart + headerLength).toString('latin1')
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1]
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1]
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (descr === undefined || shapeText === undefined || fortran !== 'False') throw new Error(`${path}: unsupported header ${header}`)
  const make = DTYPES[descr]
  if (make === undefined) throw new Error(`${path}: unsupported dtype ${descr}`)
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number)
  const count = shape.reduce((a, b) => a * b, 1)
  const bytes = file.buffer.slice(file.byteOffset + headerStart + headerLength, file.byteOffset + file.length)
  return {dtype: descr, shape, data: make(bytes, 0, count)}
}
