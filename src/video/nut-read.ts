import {ByteReader} from './byte-reader.js'
import {crc32, FLAG, formatOfFourcc, LONG_PACKET, type RawPixelFormat, type Rational, signedOf, STARTCODE} from './nut-format.js'

/** A stream as its NUT stream header describes it. */
export interface NutStreamInfo {
  readonly id: number
  /** 0 video, 1 audio, 2 subtitle, 3 data. */
  readonly streamClass: number
  readonly fourcc: number
  /** The raw pixel format of a raw video stream, if dpt knows the fourcc. */
  readonly pixelFormat: RawPixelFormat | undefined
  readonly timeBase: Rational
  readonly width: number
  readonly height: number
  /** 0/0 when unknown. */
  readonly sampleAspect: Rational
}

/** One frame: its stream, timestamp (an integer in the stream's time base) and bytes. */
export interface NutFrame {
  readonly stream: number
  readonly pts: number
  readonly key: boolean
  readonly data: Uint8Array
}

export class NutFormatError extends Error {
  constructor(message: string) {
    super(`NUT: ${message}`)
    this.name = 'NutFormatError'
  }
}

interface FrameCode {
  flags: number
  ptsDelta: number
  stream: number
  sizeMul: number
  sizeLsb: number
  reserved: number
  headerIdx: number
}

/** A synchronous cursor over one packet's payload. */
class Cursor {
  at = 0
  constructor(readonly bytes: Uint8Array) {}
  v(): number {
    let value = 0
    for (;;) {
      if (this.at >= this.bytes.length) throw new NutFormatError('value runs past its packet')
      const b = this.bytes[this.at++]!
      value = value * 128 + (b & 0x7f)
      if ((b & 0x80) === 0) return value
    }
  }
  s(): number {
    return Number(signedOf(BigInt(this.v())))
  }
  take(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) throw new NutFormatError('field runs past its packet')
    const out = this.bytes.subarray(this.at, this.at + n)
    this.at += n
    return out
  }
}

async function readV(reader: ByteReader, what: string): Promise<number> {
  let value = 0
  for (;;) {
    const b = await reader.byte(what)
    value = value * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) return value
  }
}

/**
 * Reads the NUT stream ffmpeg writes with `-f nut` (version 3 or 4): headers, syncpoints and frames, as
 * specified by nut.txt and read by ffmpeg's own demuxer. Packet checksums are verified; frame checksums, like
 * ffmpeg's demuxer, are not. Frames are yielded in file order with their full timestamps.
 */
export class NutReader {
  readonly #reader: ByteReader
  #version = 0
  #flags = 0
  #timeBases: Rational[] = []
  #codes: FrameCode[] = []
  #elision: Uint8Array[] = [new Uint8Array(0)]
  #streamCount = 0
  #msbShift: number[] = []
  #lastPts: number[] = []
  readonly streams: NutStreamInfo[] = []

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#reader = new ByteReader(source)
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel()
  }

  /** The payload of a packet whose start code was just read, checksums verified. */
  async #packet(code: bigint): Promise<Cursor> {
    const head: number[] = []
    for (let shift = 56n; shift >= 0n; shift -= 8n) head.push(Number((code >> shift) & 0xffn))
    let forward = 0
    for (;;) {
      const b = await this.#reader.byte('a packet header')
      head.push(b)
      forward = forward * 128 + (b & 0x7f)
      if ((b & 0x80) === 0) break
    }
    if (forward > LONG_PACKET) {
      const check = await this.#reader.bytes(4, 'a packet header checksum')
      if (crc32(check, crc32(Uint8Array.from(head))) !== 0) throw new NutFormatError('packet header checksum mismatch')
    }
    if (forward < 4) throw new NutFormatError(`packet too short (${forward} bytes)`)
    const body = await this.#reader.bytes(forward, 'a packet')
    if (crc32(body) !== 0) throw new NutFormatError('packet checksum mismatch')
    return new Cursor(body.subarray(0, forward - 4))
  }

  #mainHeader(c: Cursor): void {
    this.#version = c.v()
    if (this.#version < 3 || this.#version > 4) throw new NutFormatError(`version ${this.#version} not supported`)
    if (this.#version > 3) c.v() // minor version
    this.#streamCount = c.v()
    c.v() // max_distance: only matters for seeking and damage detection
    const count = c.v()
    this.#timeBases = []
    for (let i = 0; i < count; i++) this.#timeBases.push({num: c.v(), den: c.v()})
    // pts_delta, size_mul, stream and header index carry over from one table entry to the next; size_lsb
    // and reserved_count reset to 0 when an entry does not give them.
    let [pts, mul, stream, headerIdx] = [0, 1, 0, 0]
    const codes: FrameCode[] = []
    for (let i = 0; i < 256;) {
      const flags = c.v()
      let fields = c.v()
      if (fields > 0) pts = c.s()
      if (fields > 1) mul = c.v()
      if (fields > 2) stream = c.v()
      const size = fields > 3 ? c.v() : 0
      const reserved = fields > 4 ? c.v() : 0
      const n = fields > 5 ? c.v() : mul - size
      if (fields > 6) c.s() // match_time_delta
      if (fields > 7) headerIdx = c.v()
      while (fields-- > 8) c.v()
      if (n <= 0 || i + n > 256) throw new NutFormatError(`bad frame code count ${n} at ${i}`)
      for (let j = 0; j < n; j++, i++) {
        if (i === 0x4e) {
          codes[i] = {flags: FLAG.invalid, ptsDelta: 0, stream: 0, sizeMul: 1, sizeLsb: 0, reserved: 0, headerIdx: 0}
          j--
          continue
        }
        codes[i] = {flags, ptsDelta: pts, stream, sizeMul: mul, sizeLsb: size + j, reserved, headerIdx}
      }
    }
    this.#codes = codes
    if (c.at < c.bytes.length) {
      const headers = c.v() + 1
      for (let i = 1; i < headers; i++) this.#elision[i] = c.take(c.v()).slice()
    }
    if (this.#version > 3 && c.at < c.bytes.length) this.#flags = c.v()
  }

  /** Reads a stream header; returns the stream id. */
  #streamHeader(c: Cursor): number {
    const id = c.v()
    const streamClass = c.v()
    const tagLength = c.v()
    const tagBytes = c.take(tagLength)
    let fourcc = 0
    for (let i = tagLength - 1; i >= 0; i--) fourcc = fourcc * 256 + tagBytes[i]!
    const timeBase = this.#timeBases[c.v()]
    if (timeBase === undefined) throw new NutFormatError(`stream ${id}: no such time base`)
    this.#msbShift[id] = c.v()
    c.v() // max_pts_distance
    c.v() // decode_delay
    c.v() // stream_flags
    c.take(c.v()) // codec_specific_data
    let [width, height, sampleAspect] = [0, 0, {num: 0, den: 0}]
    if (streamClass === 0) {
      width = c.v()
      height = c.v()
      sampleAspect = {num: c.v(), den: c.v()}
    }
    this.#lastPts[id] = 0
    this.streams[id] = {id, streamClass, fourcc, pixelFormat: formatOfFourcc(fourcc), timeBase, width, height, sampleAspect}
    return id
  }

  #syncpoint(c: Cursor): void {
    const coded = c.v()
    const tb = this.#timeBases[coded % this.#timeBases.length]!
    const ts = Math.floor(coded / this.#timeBases.length)
    for (const stream of this.streams) {
      // ff_nut_reset_ts: the syncpoint time in each stream's time base, rounded down.
      const s = stream.timeBase
      this.#lastPts[stream.id] = Number((BigInt(ts) * BigInt(tb.num) * BigInt(s.den)) / (BigInt(tb.den) * BigInt(s.num)))
    }
  }

  /** Reads up to the first syncpoint: the main header and every stream header. */
  async readHeaders(): Promise<void> {
    // The ID string, then packets; find the main start code by scanning, as ffmpeg does.
    let state = 0n
    for (;;) {
      state = ((state << 8n) | BigInt(await this.#reader.byte('the NUT main header'))) & 0xffffffffffffffffn
      if (state === STARTCODE.main) break
    }
    this.#mainHeader(await this.#packet(STARTCODE.main))
    // Stream headers may come in any order: `streams` is filled by id, so count the ids seen.
    const seen = new Set<number>()
    while (seen.size < this.#streamCount) {
      const code = await this.#startcode()
      if (code === STARTCODE.stream) seen.add(this.#streamHeader(await this.#packet(code)))
      else await this.#packet(code)
    }
  }

  async #startcode(): Promise<bigint> {
    let code = 0n
    for (let i = 0; i < 8; i++) code = (code << 8n) | BigInt(await this.#reader.byte('a start code'))
    if (code >> 56n !== 0x4en) throw new NutFormatError(`expected a start code at byte ${this.#reader.position - 8}`)
    return code
  }

  /** The next frame, or undefined at the end of the stream. */
  async next(): Promise<NutFrame | undefined> {
    for (;;) {
      if (await this.#reader.atEnd()) return undefined
      const first = await this.#reader.byte('a frame')
      if (first === 0x4e) {
        let code = 0x4en
        for (let i = 1; i < 8; i++) code = (code << 8n) | BigInt(await this.#reader.byte('a start code'))
        const payload = await this.#packet(code)
        if (code === STARTCODE.syncpoint) this.#syncpoint(payload)
        continue
      }
      return this.#frame(first)
    }
  }

  async #frame(frameCode: number): Promise<NutFrame> {
    const r = this.#reader
    const code = this.#codes[frameCode]
    if (code === undefined || (code.flags & FLAG.invalid) !== 0) throw new NutFormatError(`invalid frame code ${frameCode}`)
    let {flags, stream, headerIdx, reserved} = code
    if ((flags & FLAG.coded) !== 0) flags ^= await readV(r, 'frame flags')
    if ((flags & FLAG.streamId) !== 0) stream = await readV(r, 'a stream id')
    const info = this.streams[stream]
    if (info === undefined) throw new NutFormatError(`frame of unknown stream ${stream}`)
    let pts: number
    if ((flags & FLAG.codedPts) !== 0) {
      const coded = await readV(r, 'a timestamp')
      const shift = this.#msbShift[stream]!
      pts = coded >= 2 ** shift ? coded - 2 ** shift : lsbToFull(this.#lastPts[stream]!, coded, shift)
    } else pts = this.#lastPts[stream]! + code.ptsDelta
    let size = code.sizeLsb
    if ((flags & FLAG.sizeMsb) !== 0) size += code.sizeMul * (await readV(r, 'a frame size'))
    if ((flags & FLAG.matchTime) !== 0) await readV(r, 'match_time_delta')
    if ((flags & FLAG.headerIdx) !== 0) headerIdx = await readV(r, 'a header index')
    if ((flags & FLAG.reserved) !== 0) reserved = await readV(r, 'a reserved count')
    for (let i = 0; i < reserved; i++) await readV(r, 'reserved fields')
    if ((flags & FLAG.checksum) !== 0) await r.bytes(4, 'a frame checksum')
    if (this.#version > 3 && (flags & FLAG.smData) !== 0) throw new NutFormatError('side data in frames is not supported')
    const elided = size > 4096 ? new Uint8Array(0) : (this.#elision[headerIdx] ?? new Uint8Array(0))
    const data = new Uint8Array(size)
    data.set(elided)
    await r.read(data, elided.length, size - elided.length, 'a frame')
    this.#lastPts[stream] = pts
    return {stream, pts, key: (flags & FLAG.key) !== 0, data}
  }

  /** NUT_PIPE and other main-header flags (version 4). */
  get mainFlags(): number {
    return this.#flags
  }
}

/** ff_lsb2full: the timestamp nearest the last one whose low `shift` bits are `lsb`. */
function lsbToFull(last: number, lsb: number, shift: number): number {
  const mask = 2 ** shift - 1
  const delta = last - Math.floor(mask / 2)
  return Number((BigInt(lsb - delta) & BigInt(mask)) + BigInt(delta))
}
