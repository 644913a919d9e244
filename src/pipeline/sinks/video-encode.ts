import {join} from 'node:path'
import {VideoEncoder} from '../../video/encode.js'
import {joinSegments} from '../../video/segment-join.js'
import {segmentExtension, segmentSpec, type H264Options, type SegmentCodec} from '../../video/segments.js'
import type {Size} from '../sample.js'
import type {Sink, SinkItem} from '../sink.js'
import type {FileSample} from '../sources/files.js'
import {isFrame, type FrameSample, type VideoJob, type VideoStream} from '../sources/video-job.js'
import {readManifest, segmentPath, writeManifest, type SegmentRecord} from '../sources/video-partial.js'

/** One encoded video format: where it goes, how a frame's prediction becomes the pixels pushed to ffmpeg. */
export interface VideoFormat<P> {
  /** As given to --format; also its folder in the video's partial folder. */
  readonly name: string
  readonly codec: SegmentCodec
  /** Reads the decoded frame (side by side, overlays). */
  readonly needsPixels: boolean
  /** The final file of the video whose output stem is `stem`. */
  path(stem: string): string
  /** The size of the frames pushed (side by side: twice as wide as the video). */
  size(stream: VideoStream): Size
  /** The frame's pixels in the codec's pushed format (segments.ts pushedFormat), in a new array: ffmpeg's pipe may hold it after consume returns. */
  render(item: SinkItem<FrameSample, P>): Uint8Array | Uint16Array
}

/** An encode in progress: the video's finished segments and the one being written. */
interface Encoding {
  readonly segments: SegmentRecord[]
  encoder: VideoEncoder | undefined
  firstPts: number
  frames: number
}

/**
 * Encodes the frames of each video into one file per format: in segments of `segmentFrames` frames (each a
 * finished file in the video's partial folder once its last frame is in, listed in the format's
 * segments.json), joined losslessly into the final file, atomically, when the video's last frame has arrived
 * (video/segments.ts says why this gives a resumed run the same bytes). Frames must come in order per video
 * (a FrameOrderSink in front). A video whose frames stopped (a failure, decoding that failed, --fail-fast)
 * keeps its finished segments for a resumed run and gets no final file. Still images: nothing (the video
 * formats are skipped for them; the source notes it once).
 */
export class VideoEncodeSink<P> implements Sink<FileSample, P> {
  readonly needsPixels: boolean
  readonly #videos = new Map<VideoJob, Encoding>()
  readonly #abort = new AbortController()

  constructor(
    readonly format: VideoFormat<P>,
    private readonly h264: H264Options,
  ) {
    this.needsPixels = format.needsPixels
  }

  outputs(sample: FileSample): string[] {
    return isFrame(sample) && sample.frame.last ? [this.format.path(sample.frame.job.outStem)] : []
  }

  async consume(item: SinkItem<FileSample, P>): Promise<string[]> {
    const {sample} = item
    if (!isFrame(sample)) return []
    const {job, index, pts, last, failed} = sample.frame
    if (job.broken !== undefined) {
      await this.#stop(job)
      return []
    }
    const encoding = this.#videos.get(job) ?? (await this.#begin(job, index))
    try {
      await this.#push(job, encoding, {...item, sample}, index, pts)
      if ((index + 1) % job.segmentFrames === 0 || last) await this.#finishSegment(job, encoding, index, last)
    } catch (error) {
      await this.#stop(job)
      throw error
    }
    if (!last) return []
    this.#videos.delete(job)
    if (failed !== undefined) return []
    const path = this.format.path(job.outStem)
    const stream = job.stream!
    await joinSegments(
      job.install,
      {
        codec: this.format.codec,
        segments: encoding.segments.map((s) => ({
          path: segmentPath(job.partialDir, this.format.name, s.index, segmentExtension(this.format.codec)),
          firstPts: s.firstPts,
        })),
        timeBase: stream.timeBase,
        path,
        listPath: join(job.partialDir, this.format.name, 'concat.txt'),
        audio: job.audio,
      },
      this.#abort.signal,
    )
    return [path]
  }

  /**
   * Videos whose last frame never came (a frame failed: the FrameOrderSink marked the video broken; --fail-fast):
   * their open segment is dropped.
   */
  async complete(): Promise<void> {
    for (const job of [...this.#videos.keys()]) await this.#stop(job)
  }

  async dispose(): Promise<void> {
    this.#abort.abort()
    for (const job of [...this.#videos.keys()]) await this.#stop(job)
  }

  /** A video's first frame in this run: the segments an earlier run finished before it are kept. */
  async #begin(job: VideoJob, index: number): Promise<Encoding> {
    if (index % job.segmentFrames !== 0) throw new Error(`${job.label}: encoding must start at a segment's first frame, not at frame ${index}`)
    const manifest = await readManifest(job.partialDir, this.format.name)
    const first = index / job.segmentFrames
    const segments = (manifest?.segments ?? []).filter((s) => s.index < first).sort((a, b) => a.index - b.index)
    if (segments.length !== first || segments.some((s, k) => s.index !== k)) {
      throw new Error(`${job.label}: the ${this.format.name} segments before frame ${index} are missing from ${job.partialDir}`)
    }
    const encoding: Encoding = {segments, encoder: undefined, firstPts: 0, frames: 0}
    this.#videos.set(job, encoding)
    return encoding
  }

  async #push(job: VideoJob, encoding: Encoding, item: SinkItem<FrameSample, P>, index: number, pts: number): Promise<void> {
    const stream = job.stream!
    if (encoding.encoder === undefined) {
      const size = this.format.size(stream)
      const target = {
        ...size,
        path: segmentPath(job.partialDir, this.format.name, Math.floor(index / job.segmentFrames), segmentExtension(this.format.codec)),
        timeBase: stream.timeBase,
      }
      encoding.encoder = new VideoEncoder(job.install, segmentSpec(this.format.codec, {...target, sampleAspect: stream.sampleAspect}, this.h264))
      encoding.firstPts = pts
      encoding.frames = 0
    }
    await encoding.encoder.push(this.format.render(item), pts)
    encoding.frames++
  }

  /** The segment's file goes into place, then the manifest that lists it: a listed segment is always whole. */
  async #finishSegment(job: VideoJob, encoding: Encoding, index: number, last: boolean): Promise<void> {
    await encoding.encoder!.finish()
    encoding.encoder = undefined
    encoding.segments.push({index: Math.floor(index / job.segmentFrames), firstPts: encoding.firstPts, frames: encoding.frames, final: last})
    await writeManifest(job.partialDir, this.format.name, {timeBase: job.stream!.timeBase, segments: encoding.segments})
  }

  async #stop(job: VideoJob): Promise<void> {
    const encoding = this.#videos.get(job)
    this.#videos.delete(job)
    await encoding?.encoder?.abort()
  }
}
