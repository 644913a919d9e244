import {readFile} from 'node:fs/promises'

/** An .npy array converted to float32 (depth, masks), with its shape. */
export interface NpyFloat {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

const READERS: Record<string, {bytes: number; read: (view: DataView, at: number, little: boolean) => number}> = {
  f4: {bytes: 4, read: (v, at, le) => v.getFloat32(at, le)},
  f8: {bytes: 8, read: (v, at, le) => v.getFloat64(at, le)},
  f2: {bytes: 2, read: (v, at, le) => halfToFloat(v.getUint16(at, le))},
  u1: {bytes: 1, read: (v, at) => v.getUint8(at)},
  b1: {bytes: 1, read: (v, at) => v.getUint8(at)},
  u2: {bytes: 2, read: (v, at, le) => v.getUint16(at, le)},
  i2: {bytes: 2, read: (v, at, le) => v.getInt16(at, le)},
  i4: {bytes: 4, read: (v, at, le) => v.getInt32(at, le)},
  u4: {bytes: 4, read: (v, at, le) => v.getUint32(at, le)},
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

/**
 * Reads a C-order .npy file (format 1.x–3.x, as numpy.save writes it: DIODE's `_depth.npy` (H, W, 1) float32,
 * `_depth_mask.npy` (H, W), dpt's own npy output) into float32, whatever the numeric dtype and byte order.
 */
export function decodeNpy(file: Buffer): NpyFloat {
  if (file.length < 10 || file.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error('not an .npy file (bad magic)')
  const major = file[6]
  const headerLength = major === 1 ? file.readUInt16LE(8) : file.readUInt32LE(8)
  const headerStart = major === 1 ? 10 : 12
  const header = file.toString('latin1', headerStart, headerStart + headerLength)
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header)
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1]
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (descr === null || shapeText === undefined || fortran === undefined) throw new Error(`unsupported .npy header ${header.trim()}`)
  if (fortran === 'True') throw new Error('Fortran-order .npy arrays are not supported (save with np.ascontiguousarray)')
  const reader = READERS[descr[2]!]
  if (reader === undefined) throw new Error(`unsupported .npy dtype ${descr[1]}${descr[2]}`)
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number)
  const count = shape.reduce((a, b) => a * b, 1)
  const start = headerStart + headerLength
  if (file.length < start + count * reader.bytes) throw new Error(`truncated .npy: shape (${shape.join(', ')}) needs ${count * reader.bytes} data bytes`)
  const little = descr[1] !== '>'
  const view = new DataView(file.buffer, file.byteOffset + start, count * reader.bytes)
  const data = new Float32Array(count)
  for (let i = 0; i < count; i++) data[i] = reader.read(view, i * reader.bytes, little)
  return {shape, data}
}

export async function readNpy(path: string): Promise<NpyFloat> {
  return decodeNpy(await readFile(path))
}

/** Height and width of an image-like array: (H, W) or (H, W, 1) or (1, H, W). */
export function imageShape(shape: readonly number[], what: string): {width: number; height: number} {
  const dims = shape.filter((d, i) => !(d === 1 && shape.length === 3 && (i === 0 || i === 2)))
  const [height, width] = dims
  if (dims.length !== 2 || height === undefined || width === undefined) throw new Error(`${what}: expected an H×W array, got shape (${shape.join(', ')})`)
  return {width, height}
}
