import zlib from 'node:zlib'

/**
 * The TypeScript path's deflate of 16-bit PNG rows: Node's zlib with cv2.imwrite's settings for PNG (level 1,
 * Z_RLE); deflate.wasm.ts is its WebAssembly counterpart (the same matches, its own Huffman code, a fourth to a
 * half of the CPU).
 */
// One megabyte of output per round trip to the pool: the default 16 kB would bounce hundreds of times per map.
const DEFLATE_OPTIONS = {level: 1, strategy: zlib.constants.Z_RLE, chunkSize: 1 << 20} as const

/**
 * zlib's output as the 1 MB chunks it comes in: the same bytes as zlib.deflate, without concatenating them into
 * one buffer (a copy of the whole file, into fresh pages, per image).
 */
export function deflateChunks(data: Uint8Array): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const stream = zlib.createDeflate(DEFLATE_OPTIONS)
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      resolve(chunks)
    })
    stream.on('error', reject)
    stream.end(data)
  })
}
