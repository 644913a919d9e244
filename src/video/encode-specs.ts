import type {EncoderSpec} from './encode.js'
import type {Rational} from './nut-format.js'

/** Where the frames go and how they are timed; the same for every output kind. */
export interface OutputTarget {
  readonly path: string
  readonly width: number
  readonly height: number
  /** The time base of the pushed timestamps (the decoder's `timeBase`). */
  readonly timeBase: Rational
  /** The source's sample aspect ratio, written to the output so that it displays the same. */
  readonly sampleAspect?: Rational | undefined
}

/** FFV1, every frame a key frame with slice CRCs: lossless, seekable, damage detectable (before the container). */
export const ffv1Args = (pixelFormat: 'gray16le' | 'gray'): string[] => [
  '-map',
  '0:v',
  '-c:v',
  'ffv1',
  '-level',
  '3',
  '-g',
  '1',
  '-slicecrc',
  '1',
  '-pix_fmt',
  pixelFormat,
]

/** FFV1 in Matroska. */
function ffv1(target: OutputTarget, pixelFormat: 'gray16le' | 'gray'): EncoderSpec {
  return {...target, pixelFormat, extraInputs: () => [], startAtZero: false, outputArgs: [...ffv1Args(pixelFormat), '-f', 'matroska']}
}

/** The BT.709 tags of the viewable H.264 (see h264Filter). */
export const BT709_TAGS = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709']

/**
 * The filter chain of a viewable H.264 from RGB24 frames: yuv420p needs even sizes, so an odd width or height is
 * padded by one black column/row at the right/bottom (no pixel is resampled); BT.709 limited range (what players
 * assume for HD; grey is the same under any matrix); the source's sample aspect ratio.
 */
export function h264Filter(target: OutputTarget): string {
  const filters: string[] = []
  if (target.width % 2 !== 0 || target.height % 2 !== 0)
    filters.push(`pad=${target.width + (target.width % 2)}:${target.height + (target.height % 2)}:0:0:black`)
  filters.push('scale=out_color_matrix=bt709:out_range=tv', 'format=yuv420p')
  const sar = target.sampleAspect
  filters.push(sar !== undefined && sar.num > 0 && sar.den > 0 ? `setsar=${sar.num}/${sar.den}` : 'setsar=1')
  return filters.join(',')
}

/** x264's constant rate factor, checked: an integer from 0 to 51. */
export function checkedCrf(crf: number): number {
  if (!Number.isInteger(crf) || crf < 0 || crf > 51) throw new RangeError(`crf must be an integer from 0 to 51, got ${crf}`)
  return crf
}

/**
 * The lossless 16-bit depth video: FFV1 `gray16le` in .mkv, decoding to exactly the uint16 values pushed (the
 * 16-bit PNGs' values). Matroska stores timestamps in milliseconds: timestamps are kept to the nearest ms.
 */
export const losslessDepthVideo = (target: OutputTarget): EncoderSpec => ffv1(target, 'gray16le')

/** The lossless label video for segmentation: FFV1 8-bit grey in .mkv (ADE20K ids 0..150 as pixel values). */
export const labelVideo = (target: OutputTarget): EncoderSpec => ffv1(target, 'gray')

/** The source's audio, to be copied into the viewable video over the same cut of time. */
export interface AudioSource {
  readonly path: string
  /** The audio streams' codecs (VideoProbe.audio); none means no audio is mapped. */
  readonly codecs: readonly string[]
  /** The same --start / --duration the frames were decoded with. */
  readonly start?: number | undefined
  readonly duration?: number | undefined
}

export interface ViewableOptions {
  /** x264's constant rate factor: 0 lossless (in YUV), 18 visually lossless (default), 23 x264's default, 51 worst. */
  readonly crf?: number
  /** x264 preset (ultrafast … veryslow), trading encode time for size; default `medium`. */
  readonly preset?: string
  readonly audio?: AudioSource | undefined
}

/** Audio codecs MP4 holds as they are; anything else (PCM, Vorbis, …) is re-encoded to AAC. */
export const MP4_AUDIO = new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac'])

/**
 * The viewable video: H.264 yuv420p in .mp4 from RGB24 frames (grey or colour-mapped depth, segmentation
 * colours or overlays, or a side-by-side composite). yuv420p needs even sizes: an odd width or height is
 * padded by one black column/row at the right/bottom (no depth pixel is dropped or resampled). RGB is
 * converted with BT.709 coefficients in limited range and tagged so, which is what players assume for HD
 * (grey maps are the same under any matrix). Timestamps are the pushed ones less the first (the video starts
 * at its first frame; variable frame rates stay so); the source's audio is copied from that instant (re-encoded
 * to AAC when MP4 cannot hold its codec), cut like the frames.
 */
export function viewableVideo(target: OutputTarget, options: ViewableOptions = {}): EncoderSpec {
  const crf = checkedCrf(options.crf ?? 18)
  const audio = options.audio !== undefined && options.audio.codecs.length > 0 ? options.audio : undefined
  const audioArgs: string[] = []
  if (audio !== undefined) {
    const copy = audio.codecs.every((c) => MP4_AUDIO.has(c))
    audioArgs.push('-map', '1:a?', ...(copy ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '192k']))
  }
  /** The audio from the first frame's instant on, for as long as the frames were cut. */
  const extraInputs = (firstTime: number): string[] => {
    if (audio === undefined) return []
    const from = (audio.start ?? 0) + firstTime
    const cut = from > 0 ? ['-ss', String(from)] : []
    if (audio.duration !== undefined) cut.push('-t', String(Math.max(0, audio.duration - firstTime)))
    return [...cut, '-i', audio.path]
  }
  return {
    ...target,
    pixelFormat: 'rgb24',
    extraInputs,
    startAtZero: true,
    outputArgs: [
      ...['-map', '0:v', ...audioArgs, '-vf', h264Filter(target)],
      ...['-c:v', 'libx264', '-preset', options.preset ?? 'medium', '-crf', String(crf)],
      ...BT709_TAGS,
      // No edit list: with frames pushed through a pipe, ffmpeg knows no duration for the last frame, and an
      // edit list ending at the last frame's start hides it (and B-frame delay hides more) from every decoder.
      // Without one the MP4 presents each sample at its own timestamp, which is why they start at 0.
      ...['-use_editlist', '0', '-movflags', '+faststart', '-f', 'mp4'],
    ],
  }
}

/**
 * Places two RGB24 frames of equal height side by side with `gap` white columns between them (the layout of
 * Depth-Anything-V2's run_video.py, which uses a 50-pixel margin). A 16-bit source frame is taken to 8 bits
 * as `round(v / 257)`, as the image pipeline does.
 */
export function sideBySide(left: Uint8Array, right: Uint8Array | Uint16Array, width: number, height: number, gap = 0): Uint8Array {
  const outWidth = 2 * width + gap
  const out = new Uint8Array(outWidth * height * 3).fill(255)
  const row = width * 3
  for (let y = 0; y < height; y++) {
    out.set(left.subarray(y * row, (y + 1) * row), y * outWidth * 3)
    const at = (y * outWidth + width + gap) * 3
    if (right instanceof Uint8Array) out.set(right.subarray(y * row, (y + 1) * row), at)
    else for (let i = 0; i < row; i++) out[at + i] = Math.round(right[y * row + i]! / 257)
  }
  return out
}
