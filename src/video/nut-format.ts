/**
 * The pieces of the NUT container (FFmpeg/MPlayer, "nut.txt") that carry raw video frames with their
 * timestamps between dpt and ffmpeg, in both directions. NUT keeps each stream's time base as a rational and
 * every timestamp as an integer in it, so timestamps cross exactly (Matroska would round them to 1 ms, and
 * ffmpeg 4.1's Matroska muxer refuses raw RGB anyway).
 */

const startcode = (tag: string, low: bigint): bigint => (BigInt(tag.charCodeAt(0)) << 56n) | (BigInt(tag.charCodeAt(1)) << 48n) | low

/** Packet start codes: 'N' + a letter + 48 fixed bits. */
export const STARTCODE = {
  main: startcode('NM', 0x7a561f5f04adn),
  stream: startcode('NS', 0x11405bf2f9dbn),
  syncpoint: startcode('NK', 0xe4adeeca4569n),
  index: startcode('NX', 0xdd672f23e64en),
  info: startcode('NI', 0xab68b596ba78n),
} as const

/** The file starts with this string and its terminating zero byte. */
export const ID_STRING = 'nut/multimedia container\0'

/** Frame header flags (nut.txt "frame_flags"). */
export const FLAG = {
  key: 1,
  eor: 2,
  codedPts: 8,
  streamId: 16,
  sizeMsb: 32,
  checksum: 64,
  reserved: 128,
  smData: 256,
  headerIdx: 1024,
  matchTime: 2048,
  coded: 4096,
  invalid: 8192,
} as const

/** A packet's forward pointer above this size is followed by a checksum of the packet header. */
export const LONG_PACKET = 4096

/** Raw video pixel formats as NUT fourccs (FFmpeg's raw pixel format tags): little-endian 32-bit values. */
export const RAW_FOURCC = {
  rgb24: fourcc('R', 'G', 'B', 24),
  rgb48le: fourcc('R', 'G', 'B', 48),
  // ffmpeg's NUT tag for 8-bit grey ('Y1\0\x08') is newer than 4.1; 'Y800' is understood by every version.
  gray: fourcc('Y', '8', '0', '0'.charCodeAt(0)),
  gray16le: fourcc('Y', '1', '\0', 16),
} as const
export type RawPixelFormat = keyof typeof RAW_FOURCC

/** FFmpeg's MKTAG: four bytes, the first in the low byte. */
function fourcc(a: string, b: string, c: string, d: number): number {
  return (a.charCodeAt(0) | (b.charCodeAt(0) << 8) | (c.charCodeAt(0) << 16) | (d << 24)) >>> 0
}

/** Bytes per pixel of each raw format. */
export const BYTES_PER_PIXEL: Readonly<Record<RawPixelFormat, number>> = {rgb24: 3, rgb48le: 6, gray: 1, gray16le: 2}

/** Other tags ffmpeg writes for the same formats (newer versions tag 8-bit grey as 'Y1\0\x08'). */
const OTHER_FOURCC: Readonly<Record<number, RawPixelFormat>> = {[fourcc('Y', '1', '\0', 8)]: 'gray', [fourcc('G', 'R', 'E', 'Y'.charCodeAt(0))]: 'gray'}

/** The raw format a fourcc stands for, if it is one dpt reads. */
export function formatOfFourcc(tag: number): RawPixelFormat | undefined {
  for (const [name, value] of Object.entries(RAW_FOURCC)) if (value === tag) return name as RawPixelFormat
  return OTHER_FOURCC[tag]
}

/** NUT's `v`: unsigned, 7 bits per byte, most significant group first, high bit set on all but the last byte. */
export function putV(out: number[], value: number | bigint): void {
  let v = BigInt(value)
  if (v < 0n) throw new RangeError(`NUT v cannot store a negative value (${v})`)
  const groups: number[] = [Number(v & 0x7fn)]
  while ((v >>= 7n) > 0n) groups.push(Number(v & 0x7fn) | 0x80)
  for (let i = groups.length - 1; i >= 0; i--) out.push(groups[i]!)
}

/** NUT's `s`: signed, mapped to v as 2|x| − (x > 0). */
export function putS(out: number[], value: number): void {
  putV(out, 2 * Math.abs(value) - (value > 0 ? 1 : 0))
}

/** The inverse of putS's mapping. */
export function signedOf(v: bigint): bigint {
  const w = v + 1n
  return (w & 1n) === 1n ? -(w >> 1n) : w >> 1n
}

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let c = i << 24
    for (let j = 0; j < 8; j++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1
    table[i] = c >>> 0
  }
  return table
})()

/**
 * NUT's checksum: CRC-32 with generator 0x04C11DB7, most significant bit first, initial value 0, no final
 * inversion. Stored big-endian after the bytes it covers, so that the CRC over bytes + checksum is 0.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = crc >>> 0
  for (const byte of bytes) c = ((c << 8) ^ CRC_TABLE[(c >>> 24) ^ byte]!) >>> 0
  return c
}

/** A rational number (time base, frame rate, aspect ratio) in lowest terms. */
export interface Rational {
  readonly num: number
  readonly den: number
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return Math.abs(a)
}

export function reduce(r: Rational): Rational {
  const g = gcd(r.num, r.den) || 1
  return {num: r.num / g, den: r.den / g}
}

/** Seconds of `ticks` in time base `tb`. */
export const seconds = (ticks: number, tb: Rational): number => (ticks * tb.num) / tb.den
