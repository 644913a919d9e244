import {readFile} from 'node:fs/promises'
import {endianness} from 'node:os'

/**
 * NumPy's .npy format, both ways. Written: byte-identical to numpy's `np.save` of a C-order float32 array (checked
 * against numpy 2.4): magic `\x93NUMPY`, version 1.0, uint16 LE header length, then the header dict
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (H, W), }` followed by
 *  - 21 − len(str(shape[0])) spaces numpy reserves so the first axis can grow in place (none for 0-d),
 *  - spaces and a final `\n` so the data starts at a multiple of 64 (a full 64 when already aligned).
 * Read: any C-order numeric array numpy.save writes (format 1.x–3.x, either byte order): DIODE's `_depth.npy`
 * (H, W, 1) float32 and `_depth_mask.npy`, dpt's own output, the test fixtures.
 */
const MAGIC = '\x93NUMPY'
const ALIGN = 64
const GROWTH_AXIS_MAX_DIGITS = 21
const PREFIX_BYTES = MAGIC.length + 2 + 2

function shapeRepr(shape: readonly number[]): string {
  // Python tuple repr: `()`, `(5,)`, `(2, 3)`.
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
}

function checkShape(shape: readonly number[], length: number): void {
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError(`Expected an .npy shape of non-negative integers, got [${shape.join(', ')}]`)
  }
  const count = shape.reduce((a, b) => a * b, 1)
  if (count !== length) throw new RangeError(`Shape [${shape.join(', ')}] holds ${count} values, got ${length}`)
}

export function encodeNpy(data: Float32Array, shape: readonly number[]): Buffer {
  checkShape(shape, data.length)
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length))
  const padding = ALIGN - ((PREFIX_BYTES + dict.length + 1) % ALIGN)
  const header = `${dict}${' '.repeat(padding)}\n`
  if (header.length > 0xffff) throw new RangeError(`.npy header of ${header.length} bytes needs format 2.0; shape has too many axes`)
  const out = Buffer.allocUnsafe(PREFIX_BYTES + header.length + data.length * 4)
  out.write(MAGIC, 0, 'latin1')
  out[6] = 1
  out[7] = 0
  out.writeUInt16LE(header.length, 8)
  out.write(header, PREFIX_BYTES, 'latin1')
  const at = PREFIX_BYTES + header.length
  if (endianness() === 'LE') {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at)
  } else {
    for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i]!, at + i * 4)
  }
  return out
}

export type NpyData = Float32Array | Float64Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | BigInt64Array

/** An array as stored: its numpy dtype (`<f4`, `|u1`, …), shape and values in the matching typed array. */
export interface NpyArray {
  readonly dtype: string
  readonly shape: number[]
  readonly data: NpyData
}

interface Kind {
  readonly bytes: number
  /** A native array of n values, filled by `read` (DataView: any byte order, any alignment). */
  make(n: number): NpyData
  read(view: DataView, at: number, little: boolean): number | bigint
}

const KINDS: Readonly<Record<string, Kind>> = {
  f4: {bytes: 4, make: (n) => new Float32Array(n), read: (v, at, le) => v.getFloat32(at, le)},
  f8: {bytes: 8, make: (n) => new Float64Array(n), read: (v, at, le) => v.getFloat64(at, le)},
  // Half precision has no typed array: widened to float32, which holds every half value exactly.
  f2: {bytes: 2, make: (n) => new Float32Array(n), read: (v, at, le) => halfToFloat(v.getUint16(at, le))},
  u1: {bytes: 1, make: (n) => new Uint8Array(n), read: (v, at) => v.getUint8(at)},
  b1: {bytes: 1, make: (n) => new Uint8Array(n), read: (v, at) => v.getUint8(at)},
  i1: {bytes: 1, make: (n) => new Int8Array(n), read: (v, at) => v.getInt8(at)},
  u2: {bytes: 2, make: (n) => new Uint16Array(n), read: (v, at, le) => v.getUint16(at, le)},
  i2: {bytes: 2, make: (n) => new Int16Array(n), read: (v, at, le) => v.getInt16(at, le)},
  u4: {bytes: 4, make: (n) => new Uint32Array(n), read: (v, at, le) => v.getUint32(at, le)},
  i4: {bytes: 4, make: (n) => new Int32Array(n), read: (v, at, le) => v.getInt32(at, le)},
  i8: {bytes: 8, make: (n) => new BigInt64Array(n), read: (v, at, le) => v.getBigInt64(at, le)},
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

/** Reads a C-order .npy array (format 1.x–3.x) of any numeric dtype and byte order into its native typed array. */
export function decodeNpy(file: Buffer): NpyArray {
  if (file.length < 10 || file.toString('latin1', 0, 6) !== MAGIC) throw new Error('not an .npy file (bad magic)')
  const major = file[6]
  if (major !== 1 && major !== 2 && major !== 3) throw new Error(`unsupported .npy format version ${major}`)
  const headerStart = major === 1 ? 10 : 12
  const headerLength = major === 1 ? file.readUInt16LE(8) : file.readUInt32LE(8)
  const header = file.toString(major === 3 ? 'utf8' : 'latin1', headerStart, headerStart + headerLength)
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header)
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1]
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (descr === null || shapeText === undefined || fortran === undefined) throw new Error(`unsupported .npy header ${header.trim()}`)
  if (fortran === 'True') throw new Error('Fortran-order .npy arrays are not supported (save with np.ascontiguousarray)')
  const kind = KINDS[descr[2]!]
  if (kind === undefined) throw new Error(`unsupported .npy dtype ${descr[1]}${descr[2]}`)
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number)
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error(`malformed .npy shape (${shapeText})`)
  const count = shape.reduce((a, b) => a * b, 1)
  const start = headerStart + headerLength
  if (file.length < start + count * kind.bytes) throw new Error(`truncated .npy: shape (${shape.join(', ')}) needs ${count * kind.bytes} data bytes`)
  const little = descr[1] !== '>'
  const view = new DataView(file.buffer, file.byteOffset + start, count * kind.bytes)
  const data = kind.make(count)
  for (let i = 0; i < count; i++) data[i] = kind.read(view, i * kind.bytes, little)
  return {dtype: `${descr[1] === '=' ? (endianness() === 'LE' ? '<' : '>') : descr[1]}${descr[2]}`, shape, data}
}

/** The values as float32 (depth maps and masks are compared and scaled as float32 whatever numpy stored). */
export function npyFloat32(array: NpyArray): Float32Array {
  if (array.data instanceof Float32Array) return array.data
  const out = new Float32Array(array.data.length)
  for (let i = 0; i < out.length; i++) out[i] = Number(array.data[i])
  return out
}

/** A float32 array, refused otherwise: for files that must hold float32 (dpt's own npy output). */
export function decodeNpyFloat32(file: Buffer): {shape: number[]; data: Float32Array} {
  const array = decodeNpy(file)
  if (!(array.data instanceof Float32Array) || array.dtype.slice(1) !== 'f4') {
    throw new Error(`Expected a float32 ('<f4') .npy array, got dtype '${array.dtype}'; save it with .astype('<f4')`)
  }
  return {shape: array.shape, data: array.data}
}

export async function readNpy(path: string): Promise<NpyArray> {
  return decodeNpy(await readFile(path))
}

/** Height and width of an image-like array: (H, W) or (H, W, 1) or (1, H, W). */
export function imageShape(shape: readonly number[], what: string): {width: number; height: number} {
  const dims = shape.filter((d, i) => !(d === 1 && shape.length === 3 && (i === 0 || i === 2)))
  const [height, width] = dims
  if (dims.length !== 2 || height === undefined || width === undefined) throw new Error(`${what}: expected an H×W array, got shape (${shape.join(', ')})`)
  return {width, height}
}
