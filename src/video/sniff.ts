import {open} from 'node:fs/promises'

/** Containers dpt recognises as video by their first bytes (plus animated GIF, WebP and PNG). */
export type VideoContainer = 'mp4' | 'quicktime' | 'matroska' | 'avi' | 'mpegts' | 'mpegps' | 'flv' | 'ogg' | 'asf' | 'gif' | 'webp' | 'apng'

/** How many leading bytes the signature checks look at (an MPEG-TS check wants several 188-byte packets). */
const HEAD_BYTES = 4096

const ascii = (b: Uint8Array, at: number, text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false
  return true
}
const u32be = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
const u32le = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0

/** ISO-BMFF brands of still images (HEIF, AVIF): an `ftyp` box alone does not make a video. */
const IMAGE_BRANDS = new Set(['mif1', 'msf1', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'avif', 'avis', 'avci', 'jpeg', 'jpgs'])
/** Top-level QuickTime atoms that start older .mov files, which have no `ftyp`. */
const QUICKTIME_ATOMS = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']

/** MPEG transport stream: the sync byte 0x47 every 188 bytes (every 192 in Blu-ray M2TS, after a 4-byte prefix). */
function isTransportStream(b: Uint8Array): boolean {
  for (const [offset, stride] of [
    [0, 188],
    [4, 192],
  ] as const) {
    const packets = Math.min(5, Math.floor((b.length - offset) / stride))
    if (packets < 2) continue
    let sync = true
    for (let i = 0; i < packets; i++) sync &&= b[offset + i * stride] === 0x47
    if (sync) return true
  }
  return false
}

/** The container, from the head of a file alone; GIF, WebP and PNG also need `isAnimated`. */
export function sniffHead(b: Uint8Array): VideoContainer | 'gif?' | 'webp?' | 'png?' | undefined {
  if (b.length < 12) return undefined
  if (ascii(b, 4, 'ftyp')) {
    const brand = String.fromCharCode(...b.subarray(8, 12))
    if (IMAGE_BRANDS.has(brand)) return undefined
    return brand === 'qt  ' ? 'quicktime' : 'mp4'
  }
  if (QUICKTIME_ATOMS.some((atom) => ascii(b, 4, atom)) && u32be(b, 0) >= 8) return 'quicktime'
  if (u32be(b, 0) === 0x1a45dfa3) return 'matroska'
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'AVI ')) return 'avi'
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp?'
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif?'
  if (b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'png?'
  if (u32be(b, 0) === 0x000001ba) return 'mpegps'
  if (ascii(b, 0, 'FLV') && b[3] === 1) return 'flv'
  if (ascii(b, 0, 'OggS')) return 'ogg'
  if (u32be(b, 0) === 0x3026b275 && u32be(b, 4) === 0x8e66cf11) return 'asf'
  if (isTransportStream(b)) return 'mpegts'
  return undefined
}

/** Reads a file forward in chunks, for the block walks below (they stop as soon as they know). */
class FileBytes {
  #buf = new Uint8Array(0)
  #start = 0
  constructor(private readonly handle: Awaited<ReturnType<typeof open>>) {}
  /** The byte at absolute `at`, or undefined past the end of the file. */
  async at(at: number): Promise<number | undefined> {
    if (at < this.#start || at >= this.#start + this.#buf.length) {
      const buf = new Uint8Array(65536)
      const {bytesRead} = await this.handle.read(buf, 0, buf.length, at)
      this.#buf = buf.subarray(0, bytesRead)
      this.#start = at
      if (bytesRead === 0) return undefined
    }
    return this.#buf[at - this.#start]
  }
}

/** A GIF is animated when a second image descriptor follows the first image's data. */
async function gifFrames(f: FileBytes): Promise<number> {
  const flags = await f.at(10)
  if (flags === undefined) return 0
  let at = 13 + ((flags & 0x80) !== 0 ? 3 * 2 ** ((flags & 7) + 1) : 0)
  let frames = 0
  const skipSubBlocks = async (): Promise<boolean> => {
    for (;;) {
      const n = await f.at(at++)
      if (n === undefined) return false
      if (n === 0) return true
      at += n
    }
  }
  for (;;) {
    const block = await f.at(at++)
    if (block === 0x2c) {
      if (++frames > 1) return frames
      const local = await f.at(at + 8)
      if (local === undefined) return frames
      at += 9 + ((local & 0x80) !== 0 ? 3 * 2 ** ((local & 7) + 1) : 0) + 1 // descriptor, local palette, LZW size
      if (!(await skipSubBlocks())) return frames
    } else if (block === 0x21) {
      at++ // extension label
      if (!(await skipSubBlocks())) return frames
    } else return frames // trailer (0x3b), or damage
  }
}

/** A WebP is animated when its VP8X header sets the animation flag or an ANIM chunk is present. */
async function webpAnimated(f: FileBytes): Promise<boolean> {
  for (let at = 12; ;) {
    const b = new Uint8Array(9)
    for (let i = 0; i < 9; i++) {
      const v = await f.at(at + i)
      if (v === undefined) return false
      b[i] = v
    }
    if (ascii(b, 0, 'VP8X') && (b[8]! & 0x02) !== 0) return true
    if (ascii(b, 0, 'ANIM') || ascii(b, 0, 'ANMF')) return true
    if (ascii(b, 0, 'VP8 ') || ascii(b, 0, 'VP8L')) return false // a still image's bitstream
    at += 8 + u32le(b, 4) + (u32le(b, 4) & 1)
  }
}

/** A PNG is animated (APNG) when an acTL chunk precedes the first IDAT. */
async function pngAnimated(f: FileBytes): Promise<boolean> {
  for (let at = 8; ;) {
    const b = new Uint8Array(8)
    for (let i = 0; i < 8; i++) {
      const v = await f.at(at + i)
      if (v === undefined) return false
      b[i] = v
    }
    if (ascii(b, 4, 'acTL')) return true
    if (ascii(b, 4, 'IDAT') || ascii(b, 4, 'IEND')) return false
    at += 12 + u32be(b, 0)
  }
}

/**
 * Whether a file is a video, by its content: the container signature (MP4/MOV `ftyp` or a QuickTime atom,
 * Matroska/WebM EBML, AVI RIFF, MPEG-TS/PS, FLV, Ogg, ASF), or an animated GIF (more than one image), WebP
 * (VP8X animation flag or ANIM chunk) or PNG (acTL). A still GIF/WebP/PNG, an HEIF/AVIF image and anything
 * unknown give undefined: the image decoder decides about those. Whether the file really holds a video stream
 * is for probeVideo to say (an .m4a is an MP4 without one).
 */
export async function sniffVideo(path: string): Promise<VideoContainer | undefined> {
  const handle = await open(path, 'r')
  try {
    const head = new Uint8Array(HEAD_BYTES)
    const {bytesRead} = await handle.read(head, 0, HEAD_BYTES, 0)
    const kind = sniffHead(head.subarray(0, bytesRead))
    if (kind === undefined || !kind.endsWith('?')) return kind as VideoContainer | undefined
    const file = new FileBytes(handle)
    if (kind === 'gif?') return (await gifFrames(file)) > 1 ? 'gif' : undefined
    if (kind === 'webp?') return (await webpAnimated(file)) ? 'webp' : undefined
    return (await pngAnimated(file)) ? 'apng' : undefined
  } finally {
    await handle.close()
  }
}
