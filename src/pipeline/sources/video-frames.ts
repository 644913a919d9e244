import type {DecodedVideo, DecodeOptions, VideoFrame} from '../../video/decode.js'
import {openFrames} from '../../video/open.js'
import {messageOf} from '../errors.js'
import type {DecodedImage} from '../decode.js'
import {highByte, type SixteenBitInput} from '../sixteen-bit.js'
import {frameStem, type FrameSample, type VideoJob} from './video-job.js'
import type {FileSample} from './files.js'

/** The file itself as a sample that fails with `reason`: a video that cannot be read is reported by its file. */
export function failedFile(job: Pick<VideoJob, 'id' | 'label' | 'outStem' | 'path'>, reason: string): FileSample {
  return {
    kind: 'image',
    id: job.id,
    label: job.label,
    outStem: job.outStem,
    path: job.path,
    read: () => Promise.reject(new Error(reason)),
    decode: () => Promise.reject(new Error(reason)),
  }
}

/**
 * A decoded frame as the image pipeline takes it: RGB, 8 bits, or 16 (rgb48 from a source of more than 8 bits
 * per component, which then follows the rules of a 16-bit PNG input: its high byte unless --keep-16bit), so that
 * frame k gives what dpt depth gives frame k saved as a 16-bit PNG.
 */
export function frameImage(frame: VideoFrame, codec: string, sixteenBit: SixteenBitInput = 'high-byte'): DecodedImage {
  if (frame.bitDepth === 16 && sixteenBit === 'high-byte' && frame.pixels instanceof Uint16Array) {
    return {width: frame.width, height: frame.height, bitDepth: 8, pixels: highByte(frame.pixels), format: codec}
  }
  return {width: frame.width, height: frame.height, bitDepth: frame.bitDepth, pixels: frame.pixels, format: codec}
}

/**
 * One frame as a sample. Its pixels are already decoded (the source's iterator pulled them from ffmpeg): read()
 * hands them over once and forgets them, so the record the scheduler keeps of the sample holds no pixels.
 */
function frameSample(job: VideoJob, frame: VideoFrame, decodedMs: number, last: boolean, failed: string | undefined, sixteenBit: SixteenBitInput): FrameSample {
  // The closures below see only `pending` and `index`: one that named `frame` would keep the frame's pixels in
  // their shared scope for as long as the record of the sample lives (a whole video's frames, measured).
  let pending: VideoFrame | undefined = frame
  const index = frame.index
  const stem = frameStem(job.outStem, index)
  return {
    kind: 'image',
    id: `${job.id}#${index}`,
    label: `${job.label} [frame ${index}]`,
    outStem: stem,
    path: job.path,
    decodedMs,
    frame: {job, index, pts: frame.pts, last, ...(failed === undefined ? {} : {failed})},
    read: () => Promise.resolve(new Uint8Array(0)),
    decode: () => {
      if (pending === undefined) return Promise.reject(new Error(`frame ${index} was decoded once already`))
      const image = frameImage(pending, job.probe.video.codec, sixteenBit)
      pending = undefined
      return Promise.resolve(image)
    },
  }
}

/** One pull from the decoder: a frame, the end (no frame), or the error decoding failed with. */
interface Pulled {
  readonly frame?: VideoFrame | undefined
  readonly error?: unknown
  readonly ms: number
}

/**
 * The frames of one video as samples, decoded lazily: the scheduler pulls a sample only when it has room, and
 * the source decodes one frame ahead (to know which frame is the last), so ffmpeg never runs further ahead than
 * that and its pipe. Decoding starts at `job.resumeFrom` (the frames before are decoded and dropped inside
 * ffmpeg). A video that cannot be decoded at all, or fails part way, ends with a failed sample of its file (after
 * the frames decoded before the failure); `onDone` tells the caller a resumed video had no frame left to do,
 * `onWarning` passes on what ffmpeg said about a file it decoded around.
 */
export async function* videoFrameSamples(
  job: VideoJob,
  options: DecodeOptions,
  events: {onStart(): Promise<void>; onDone(): Promise<void>; onWarning(line: string): void},
  sixteenBit: SixteenBitInput = 'high-byte',
): AsyncGenerator<FileSample> {
  let video: DecodedVideo
  try {
    await events.onStart()
    video = await openFrames(job.install, job.probe, {...options, skipFrames: job.resumeFrom})
  } catch (error) {
    yield failedFile(job, messageOf(error))
    return
  }
  job.stream = {width: video.width, height: video.height, timeBase: video.timeBase, sampleAspect: video.sampleAspect}
  const frames = video[Symbol.asyncIterator]()
  const pull = async (): Promise<Pulled> => {
    const started = performance.now()
    try {
      const next = await frames.next()
      return {frame: next.done === true ? undefined : next.value, ms: performance.now() - started}
    } catch (error) {
      return {error, ms: performance.now() - started}
    }
  }
  try {
    let current = await pull()
    if (current.error !== undefined || current.frame === undefined) {
      if (current.error !== undefined) yield failedFile(job, messageOf(current.error))
      else if (job.resumeFrom > 0) await events.onDone()
      else
        yield failedFile(
          job,
          `${job.label}: no frame to decode${options.start !== undefined || options.duration !== undefined ? ' in the range of --start/--duration' : ''}`,
        )
      return
    }
    for (;;) {
      const ahead = await pull()
      const failed = ahead.error === undefined ? undefined : messageOf(ahead.error)
      yield frameSample(job, current.frame!, current.ms, failed !== undefined || ahead.frame === undefined, failed, sixteenBit)
      if (failed !== undefined) {
        yield failedFile(job, failed)
        return
      }
      if (ahead.frame === undefined) break
      current = ahead
    }
    for (const line of video.warnings()) events.onWarning(`${job.label}: ${line}`)
  } finally {
    await video.close()
  }
}
