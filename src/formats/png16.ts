import sharp from 'sharp'
import {deflateChunks} from '../kernels/deflate.js'
import {toUint16Reference, type ValueRange} from '../kernels/depth-scale.js'
import {png16StreamWasm} from '../kernels/png16-rows.wasm.js'
import {subFilter16} from '../kernels/png16-rows.js'
import type {WasmInstance} from '../kernels/wasm/module.js'
import {uint16Scratch, uint8Scratch} from '../pipeline/scratch.js'
import {checkSize, type GreyImage} from './png.js'
import {crc32, pngChunk} from './png-chunk.js'
import {textChunks, type PngText} from './png-text.js'

export {tableCrc32} from './png-chunk.js'

/**
 * The 16-bit grey PNG of a depth map, written the way cv2.imwrite writes one by default (OpenCV's PNG encoder:
 * Sub row filter, zlib level 1, Z_RLE strategy): IHDR, one IDAT, IEND. Depth maps are smooth, so the Sub
 * residuals are small and run-length coding is enough; on the DPT-Hybrid benchmark's 1080p-to-12-MP mix this is
 * 27 % smaller than sharp at level 1 without filters (7.0 against 9.5 MB per image) for about the same CPU, and
 * the deflate runs on libuv's pool. The same values always give the same bytes (for one zlib build).
 * The WebAssembly path writes the same rows with its own deflate (kernels/png16-rows.wasm.ts, kernels/wasm/deflate.c):
 * the same pixels and about the same size for a half to a fourth of zlib's CPU; {@link encodeDepthPng16} picks.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Filtered scanlines and 16-bit values of one image at a time; reused, as they are as large as the map itself. */
const scanlines = uint8Scratch(1)
const values16 = uint16Scratch(1)

/**
 * Single-channel 16-bit grey PNG (IHDR bit depth 16, colour type 0), as cv2.imwrite writes a uint16 array, with
 * `text` (png-text.ts) after IHDR.
 */
export async function encodePng16(data: Uint16Array, width: number, height: number, text: PngText = []): Promise<Buffer> {
  checkSize('16-bit PNG', data.length, width, height, 1)
  const rows = scanlines.take((1 + 2 * width) * height)
  try {
    subFilter16(data, width, height, rows)
    return Buffer.concat(png16File(width, height, await deflateChunks(rows), text))
  } finally {
    scanlines.give(rows)
  }
}

/**
 * The same PNG from its rows already filtered: per row the Sub filter-type byte and 2·width big-endian bytes
 * (as the WebAssembly kernel writes them).
 */
export async function encodePng16Rows(rows: Uint8Array, width: number, height: number): Promise<Buffer> {
  return Buffer.concat(await png16Parts(rows, width, height))
}

/**
 * encodePng16Rows's file as consecutive parts (signature and IHDR, the IDAT's zlib chunks, its CRC and IEND),
 * to be written one after the other: no copy of the compressed data.
 */
export async function png16Parts(rows: Uint8Array, width: number, height: number): Promise<Uint8Array[]> {
  checkSize('16-bit PNG', width * height, width, height, 1)
  if (rows.length !== (1 + 2 * width) * height)
    throw new RangeError(`Expected ${(1 + 2 * width) * height} bytes of rows for ${width}×${height}, got ${rows.length}.`)
  return png16File(width, height, await deflateChunks(rows))
}

/**
 * The parts of a 16-bit grey PNG around its zlib stream, given in one or more consecutive pieces (written as
 * they are, between the header parts): [signature, IHDR, the text chunks and the IDAT's length and type], ...zlib,
 * [IDAT's CRC and IEND].
 */
export function png16File(width: number, height: number, zlibStream: readonly Uint8Array[], text: PngText = []): Uint8Array[] {
  checkSize('16-bit PNG', width * height, width, height, 1)
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 16 // bit depth
  header[9] = 0 // colour type: grey; compression, filter method and interlace stay 0
  const length = zlibStream.reduce((sum, c) => sum + c.length, 0)
  const idat = Buffer.alloc(8)
  idat.writeUInt32BE(length, 0)
  idat.write('IDAT', 4, 'latin1')
  let crc = crc32(idat.subarray(4))
  for (const c of zlibStream) crc = crc32(c, crc)
  const crcBytes = Buffer.alloc(4)
  crcBytes.writeUInt32BE(crc, 0)
  return [
    Buffer.concat([SIGNATURE, pngChunk('IHDR', header), textChunks(text), idat]),
    ...zlibStream,
    Buffer.concat([crcBytes, pngChunk('IEND', new Uint8Array(0))]),
  ]
}

/**
 * A 16-bit single-channel PNG (depth in mm for NYU, ×256 for KITTI, ×5000 for TUM) as its raw integers.
 * sharp hands back 8-bit sRGB unless asked for grey16 + ushort (REFERENCE §7), so the bit depth is checked
 * first: an 8-bit file read as 16 bits would be scaled by 257 without a word.
 */
export async function readPng16(path: string): Promise<GreyImage<Uint16Array>> {
  const image = sharp(path, {limitInputPixels: false})
  const meta = await image.metadata()
  if (meta.depth !== 'ushort') throw new Error(`expected a 16-bit depth PNG, got ${meta.depth === 'uchar' ? '8' : meta.depth} bits per sample`)
  if (meta.channels - (meta.hasAlpha ? 1 : 0) !== 1) throw new Error(`expected a single-channel depth PNG, got ${meta.channels} channels`)
  const {data, info} = await image.toColourspace('grey16').raw({depth: 'ushort'}).toBuffer({resolveWithObject: true})
  const values = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
  if (values.length !== info.width * info.height) throw new Error(`decoded ${values.length} samples for ${info.width}×${info.height}`)
  return {width: info.width, height: info.height, values}
}

/**
 * The reference 16-bit PNG of a depth map, `65535·(d − min)/(max − min)` (kernels/depth-scale.ts), as its file's
 * parts. With a WebAssembly instance (the settings' kernel backend) the rows and their deflate run there — on the
 * map in place when it is the view the upsample left in that instance — and the zlib stream is a view of its
 * memory: write the parts before the instance's next call. Without one, TypeScript and zlib (same pixels, zlib's bytes).
 */
export async function encodeDepthPng16(
  depth: Float32Array,
  width: number,
  height: number,
  range: ValueRange,
  wasm: WasmInstance | undefined,
  text: PngText = [],
): Promise<Uint8Array[] | Buffer> {
  if (wasm !== undefined) return png16File(width, height, [png16StreamWasm(wasm, depth, width, height, range)], text)
  const values = values16.take(depth.length)
  try {
    return await encodePng16(toUint16Reference(depth, range.min, range.max, values), width, height, text)
  } finally {
    values16.give(values)
  }
}
