import {BYTES_PER_PIXEL, crc32, FLAG, ID_STRING, LONG_PACKET, putV, RAW_FOURCC, type RawPixelFormat, type Rational, STARTCODE} from './nut-format.js'

/** The one raw video stream a NutWriter writes. */
export interface NutVideoStream {
  readonly width: number
  readonly height: number
  readonly pixelFormat: RawPixelFormat
  /** Timestamps are integers in this time base (reduced; numerator and denominator below 2³¹). */
  readonly timeBase: Rational
  /** Sample (pixel) aspect ratio; 0/0 or undefined = unknown (square). */
  readonly sampleAspect?: Rational | undefined
}

/** The frame code every frame uses: key frame, full pts, size in the header, header checksum. */
const FRAME_CODE = 1
const FRAME_FLAGS = FLAG.key | FLAG.codedPts | FLAG.sizeMsb | FLAG.checksum
/** msb_pts_shift: with every pts coded in full (pts + 2^shift) it only has to be small. */
const MSB_PTS_SHIFT = 7
/** ffmpeg's demuxer caps max_distance at 65536; a syncpoint precedes every frame, so any value works. */
const MAX_DISTANCE = 65536

function u64be(value: bigint): number[] {
  const out: number[] = []
  for (let shift = 56n; shift >= 0n; shift -= 8n) out.push(Number((value >> shift) & 0xffn))
  return out
}

function u32be(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]
}

/** startcode, forward_ptr (with its own checksum when long), payload, payload checksum. */
function packet(code: bigint, payload: readonly number[]): Uint8Array {
  const head: number[] = u64be(code)
  putV(head, payload.length + 4)
  if (payload.length + 4 > LONG_PACKET) head.push(...u32be(crc32(Uint8Array.from(head))))
  const body = Uint8Array.from(payload)
  return Uint8Array.from([...head, ...payload, ...u32be(crc32(body))])
}

function mainHeader(stream: NutVideoStream): Uint8Array {
  const p: number[] = []
  putV(p, 3) // version
  putV(p, 1) // stream_count
  putV(p, MAX_DISTANCE)
  putV(p, 1) // time_base_count
  putV(p, stream.timeBase.num)
  putV(p, stream.timeBase.den)
  // Frame code table, run-length coded: code 0 invalid; codes 1..255 (the reader skips 'N') all FRAME_FLAGS.
  putV(p, FLAG.invalid)
  putV(p, 0) // no fields: count = size_mul − size_lsb = 1
  putV(p, FRAME_FLAGS)
  putV(p, 6) // fields: pts_delta, size_mul, stream, size_lsb, reserved, count
  putV(p, 0) // pts_delta 0, as s
  putV(p, 1) // size_mul
  putV(p, 0) // stream 0
  putV(p, 0) // size_lsb
  putV(p, 0) // reserved_count
  putV(p, 254) // count: codes 1..255 less 'N'
  // No elision headers, said explicitly: ffmpeg's demuxer counts header 0 (the empty one) only when it is there.
  putV(p, 0)
  return packet(STARTCODE.main, p)
}

function streamHeader(stream: NutVideoStream): Uint8Array {
  const p: number[] = []
  putV(p, 0) // stream_id
  putV(p, 0) // class: video
  putV(p, 4)
  const tag = RAW_FOURCC[stream.pixelFormat]
  p.push(tag & 0xff, (tag >>> 8) & 0xff, (tag >>> 16) & 0xff, tag >>> 24)
  putV(p, 0) // time_base_id
  putV(p, MSB_PTS_SHIFT)
  putV(p, 1) // max_pts_distance: larger jumps carry a checksum, which every frame has
  putV(p, 0) // decode_delay
  putV(p, 0) // stream_flags
  putV(p, 0) // codec_specific_data: none
  putV(p, stream.width)
  putV(p, stream.height)
  const sar = stream.sampleAspect
  putV(p, sar !== undefined && sar.num > 0 && sar.den > 0 ? sar.num : 0)
  putV(p, sar !== undefined && sar.num > 0 && sar.den > 0 ? sar.den : 0)
  putV(p, 0) // colorspace_type: unknown
  return packet(STARTCODE.stream, p)
}

/**
 * Writes one raw video stream as NUT, frame by frame, for ffmpeg to read from a pipe (`-f nut -i pipe:0`).
 * Every frame is a key frame preceded by a syncpoint and carries its full timestamp, so no state beyond the
 * frame size links one frame to the next. Timestamps must be non-negative integers in the stream's time base.
 */
export class NutWriter {
  readonly frameBytes: number
  readonly #stream: NutVideoStream

  constructor(stream: NutVideoStream) {
    this.frameBytes = stream.width * stream.height * BYTES_PER_PIXEL[stream.pixelFormat]
    this.#stream = stream
  }

  /** The file header: ID string, main header and stream header. */
  header(): Uint8Array {
    const id = new TextEncoder().encode(ID_STRING)
    const parts = [id, mainHeader(this.#stream), streamHeader(this.#stream)]
    return Buffer.concat(parts)
  }

  /** The bytes that precede a frame's pixels: a syncpoint at `pts`, then the frame header. */
  frameHeader(pts: number, size: number): Uint8Array {
    if (!Number.isSafeInteger(pts) || pts < 0) throw new RangeError(`NUT timestamps must be non-negative integers, got ${pts}`)
    if (size !== this.frameBytes) throw new RangeError(`expected a frame of ${this.frameBytes} bytes, got ${size}`)
    const sync: number[] = []
    putV(sync, pts) // global_key_pts: pts × time_base_count + time base 0
    putV(sync, 0) // back_ptr_div16: this syncpoint
    const frame: number[] = [FRAME_CODE]
    putV(frame, pts + 2 ** MSB_PTS_SHIFT) // coded_pts ≥ 2^shift: the full pts
    putV(frame, size) // data_size_msb × size_mul (1) + size_lsb (0)
    const check = crc32(Uint8Array.from(frame))
    return Buffer.concat([packet(STARTCODE.syncpoint, sync), Uint8Array.from([...frame, ...u32be(check)])])
  }
}
