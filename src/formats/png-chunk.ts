import zlib from 'node:zlib'

/** CRC-32 (ISO-HDLC, as PNG chunks use): zlib's when Node has it (20.15+), else a table. */
export const crc32: (data: Uint8Array, value?: number) => number = (zlib as {crc32?: (d: Uint8Array, v?: number) => number}).crc32 ?? tableCrc32

let table: Uint32Array | undefined
export function tableCrc32(data: Uint8Array, value = 0): number {
  table ??= Uint32Array.from({length: 256}, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  let c = ~value >>> 0
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** One PNG chunk: length, type, data, CRC of type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
