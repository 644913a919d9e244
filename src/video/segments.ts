import type {EncoderSpec} from './encode.js'
import {BT709_TAGS, checkedCrf, ffv1Args, h264Filter, type OutputTarget} from './encode-specs.js'

/**
 * A video output is encoded in segments of a fixed number of frames, each a complete file, and the segments are
 * joined losslessly into the final file at the end (segment-join.ts). Segment containers keep every timestamp
 * exactly in the pushed time base: NUT for FFV1, MP4 without an edit list for H.264 (NUT stores no decode
 * timestamps, and ffmpeg 4.1 guesses them for H.264 from a frame rate, which breaks variable rates). A run interrupted after k segments keeps them; a resumed run encodes from segment k on,
 * and since an uninterrupted run goes through the same segments, both end with the same bytes.
 *
 * Every segment starts with a key frame and holds no reference outside itself (FFV1 codes every frame alone;
 * each x264 encode starts with an IDR), so joining by stream copy is exact. H.264 is encoded without B-frames:
 * then decode and presentation order are the same, every frame keeps its own timestamp across the joins, and the
 * final MP4 starts at exactly 0 with an edit list that hides nothing (with B-frames, an MP4 without an edit list
 * shows the first frame late by the reordering delay, and one with an edit list drops frames of a piped encode).
 * The price is size: B-frames save some 10–20 % at the same quality on camera footage.
 */

/** What a segment holds: 16-bit or 8-bit grey losslessly (FFV1), or a viewable RGB video (H.264 yuv420p). */
export type SegmentCodec = 'ffv1-gray16' | 'ffv1-gray8' | 'h264'

/** x264's constant rate factor by default: visually lossless. */
export const DEFAULT_CRF = 18

export interface H264Options {
  /** x264's constant rate factor, 0..51 (18: visually lossless). */
  readonly crf: number
  /** x264 preset; default medium. */
  readonly preset?: string
}

/** Deterministic muxing and coding: no random Matroska UIDs, no library version strings (resumed = uninterrupted). */
const BITEXACT = ['-fflags', '+bitexact', '-flags', '+bitexact']

/** The ffmpeg output options of a codec, up to (not including) the container. */
function codecArgs(codec: SegmentCodec, target: OutputTarget, h264: H264Options | undefined): string[] {
  if (codec !== 'h264') return ffv1Args(codec === 'ffv1-gray16' ? 'gray16le' : 'gray')
  const crf = checkedCrf(h264?.crf ?? DEFAULT_CRF)
  return [
    ...['-map', '0:v', '-vf', h264Filter(target)],
    ...['-c:v', 'libx264', '-preset', h264?.preset ?? 'medium', '-crf', String(crf), '-bf', '0'],
    ...BT709_TAGS,
  ]
}

/** The raw pixel format a codec's frames are pushed in. */
export const pushedFormat = (codec: SegmentCodec): EncoderSpec['pixelFormat'] =>
  codec === 'ffv1-gray16' ? 'gray16le' : codec === 'ffv1-gray8' ? 'gray' : 'rgb24'

/** The ffmpeg encoder a codec needs (for requireEncoders before a run). */
export const encoderOf = (codec: SegmentCodec): string => (codec === 'h264' ? 'libx264' : 'ffv1')

/** One segment's encoder: frames with their source timestamps into a NUT or MP4 file (`target.path`). */
export function segmentSpec(codec: SegmentCodec, target: OutputTarget, h264?: H264Options): EncoderSpec {
  return {
    ...target,
    pixelFormat: pushedFormat(codec),
    extraInputs: () => [],
    // ffmpeg starts each segment at 0; the join puts it back at its place (segment-join.ts).
    startAtZero: false,
    outputArgs: [...codecArgs(codec, target, h264), ...BITEXACT, ...(codec === 'h264' ? ['-use_editlist', '0', '-f', 'mp4'] : ['-f', 'nut'])],
  }
}

/** The file name ending of a codec's segments. */
export const segmentExtension = (codec: SegmentCodec): string => (codec === 'h264' ? '.mp4' : '.nut')
