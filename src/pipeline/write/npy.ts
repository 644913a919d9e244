import {endianness} from 'node:os'

/**
 * .npy files byte-identical to numpy's `np.save` of a C-order float32 array (checked against numpy 2.4):
 * magic `\x93NUMPY`, version 1.0, uint16 LE header length, then the header dict
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (H, W), }` followed by
 *  - 21 − len(str(shape[0])) spaces numpy reserves so the first axis can grow in place (none for 0-d),
 *  - spaces and a final `\n` so the data starts at a multiple of 64 (a full 64 when already aligned).
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

export interface NpyFloat32 {
  readonly shape: number[]
  readonly data: Float32Array
}

/** Reads a little-endian float32, C-order .npy (format 1.0, 2.0 or 3.0); other dtypes are refused. */
export function decodeNpy(buf: Buffer): NpyFloat32 {
  if (buf.length < PREFIX_BYTES || buf.toString('latin1', 0, 6) !== MAGIC) throw new Error('Not an .npy file (bad magic)')
  const major = buf[6]!
  const lengthBytes = major === 1 ? 2 : 4
  if (major < 1 || major > 3 || buf.length < 8 + lengthBytes) throw new Error(`Unsupported .npy format version ${major}`)
  const headerLength = lengthBytes === 2 ? buf.readUInt16LE(8) : buf.readUInt32LE(8)
  const dataStart = 8 + lengthBytes + headerLength
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', 8 + lengthBytes, dataStart)
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1]
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1]
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`Malformed .npy header: ${header.trim()}`)
  if (descr !== '<f4') throw new Error(`Expected a float32 ('<f4') .npy array, got dtype '${descr}'; save it with .astype('<f4')`)
  if (fortran !== 'False') throw new Error('Fortran-order .npy arrays are not supported; save with np.ascontiguousarray')
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number)
  const count = shape.reduce((a, b) => a * b, 1)
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error(`Malformed .npy shape (${shapeText})`)
  if (buf.length < dataStart + count * 4) throw new Error(`Truncated .npy: shape (${shapeText}) needs ${count * 4} data bytes`)
  const data = new Float32Array(count)
  if (endianness() === 'LE') {
    new Uint8Array(data.buffer).set(buf.subarray(dataStart, dataStart + count * 4))
  } else {
    for (let i = 0; i < count; i++) data[i] = buf.readFloatLE(dataStart + i * 4)
  }
  return {shape, data}
}
