import {endianness} from 'node:os'

/**
 * PFM as isl-org/DPT util/io.py write_pfm writes it for a float32 H×W array: `Pf\n`, `%d %d\n` (W H),
 * `%f\n` of the scale — 1 negated for little-endian data, so `-1.000000\n` — then the rows bottom to top
 * (np.flipud before tofile). Bytes are copied, so NaN payloads and −0 survive as the reference keeps them.
 */
export function encodePfm(data: Float32Array, width: number, height: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height) {
    throw new RangeError(`Expected PFM data of ${width}×${height} values, got ${data.length}`)
  }
  const header = Buffer.from(`Pf\n${width} ${height}\n-1.000000\n`, 'latin1')
  const out = Buffer.allocUnsafe(header.length + data.length * 4)
  header.copy(out, 0)
  const rowBytes = width * 4
  const littleEndianHost = endianness() === 'LE'
  for (let y = 0; y < height; y++) {
    const row = data.subarray((height - 1 - y) * width, (height - y) * width)
    const at = header.length + y * rowBytes
    if (littleEndianHost) {
      out.set(new Uint8Array(row.buffer, row.byteOffset, rowBytes), at)
    } else {
      for (let x = 0; x < width; x++) out.writeFloatLE(row[x]!, at + x * 4)
    }
  }
  return out
}

export interface PfmImage {
  readonly width: number
  readonly height: number
  /** 1 for `Pf` (grey), 3 for `PF` (colour, interleaved RGB). */
  readonly channels: 1 | 3
  /** |scale| from the header; the sign only gives the byte order. */
  readonly scale: number
  /** Top row first (the file's bottom-to-top order undone), as read_pfm returns it. */
  readonly data: Float32Array
}

/** Reads `Pf`/`PF` files of either byte order (the sign of the scale line), like the reference read_pfm. */
export function decodePfm(buf: Buffer): PfmImage {
  // Four whitespace-separated header tokens, then exactly one whitespace byte before the data.
  const tokens: string[] = []
  let pos = 0
  while (tokens.length < 4) {
    while (pos < buf.length && isSpace(buf[pos]!)) pos++
    const start = pos
    while (pos < buf.length && !isSpace(buf[pos]!)) pos++
    if (pos >= buf.length || pos - start > 32) throw new Error('Malformed PFM header')
    tokens.push(buf.toString('latin1', start, pos))
  }
  pos++
  const [magic, w, h, s] = tokens as [string, string, string, string]
  if (magic !== 'Pf' && magic !== 'PF') throw new Error(`Not a PFM file (magic ${JSON.stringify(magic)})`)
  const channels = magic === 'PF' ? 3 : 1
  const width = Number(w)
  const height = Number(h)
  const scale = Number(s)
  if (!/^\d+$/.test(w) || !/^\d+$/.test(h) || width < 1 || height < 1 || !Number.isFinite(scale) || scale === 0) {
    throw new Error(`Malformed PFM header: ${tokens.slice(1).join(' ')}`)
  }
  const rowValues = width * channels
  const expected = pos + rowValues * height * 4
  if (buf.length < expected) throw new Error(`Truncated PFM: ${width}×${height}×${channels} needs ${expected} bytes, got ${buf.length}`)
  const littleEndian = scale < 0
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length)
  const data = new Float32Array(rowValues * height)
  for (let y = 0; y < height; y++) {
    const from = pos + (height - 1 - y) * rowValues * 4
    for (let x = 0; x < rowValues; x++) data[y * rowValues + x] = view.getFloat32(from + x * 4, littleEndian)
  }
  return {width, height, channels, scale: Math.abs(scale), data}
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}
