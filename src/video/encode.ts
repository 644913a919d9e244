import {once} from 'node:events'
import type {Writable} from 'node:stream'
import {FfmpegProcess} from './ffmpeg-process.js'
import type {FfmpegInstall} from './ffmpeg-locate.js'
import type {RawPixelFormat, Rational} from './nut-format.js'
import {NutWriter} from './nut-write.js'
import {beginTemp, commitTemp, discardTemp} from './temp-output.js'

/** What an encoder consumes and how ffmpeg turns it into a file (see encode-specs.ts for the three outputs). */
export interface EncoderSpec {
  /** The final file; the encode goes to a temp name beside it until it has finished. */
  readonly path: string
  /** Size of the frames pushed (the output may be padded, see the spec). */
  readonly width: number
  readonly height: number
  readonly pixelFormat: RawPixelFormat
  /** Timestamps pushed are integers in this time base, usually the decoder's. */
  readonly timeBase: Rational
  readonly sampleAspect?: Rational | undefined
  /**
   * Inputs after the frames (pipe:0 is input 0), e.g. the source video for its audio, given the time of the
   * first frame pushed in seconds (the audio is cut from the same instant).
   */
  readonly extraInputs: (firstTime: number) => readonly string[]
  /**
   * Shift timestamps so that the first frame is at 0 (MP4 without an edit list, see viewableVideo); the
   * intervals between frames are kept exactly.
   */
  readonly startAtZero: boolean
  /** Everything between the inputs and the output file: maps, filters, codec and muxer options, `-f`. */
  readonly outputArgs: readonly string[]
}

/**
 * A video sink: frames are pushed one at a time with their timestamps, streamed to ffmpeg as raw pixels in
 * NUT (which carries each timestamp exactly: variable frame rates stay variable), and encoded into a temp file
 * that `finish()` renames into place. `abort()` (or a failure) kills ffmpeg and deletes the temp file.
 * `push()` resolves once ffmpeg has taken the frame into its pipe: at most one frame waits in memory.
 */
export class VideoEncoder {
  readonly spec: EncoderSpec
  readonly #install: FfmpegInstall
  readonly #writer: NutWriter
  #process: FfmpegProcess | undefined
  #temp: string | undefined
  #state: 'new' | 'open' | 'done' = 'new'
  #lastPts = -1
  #firstPts = 0
  frames = 0

  constructor(install: FfmpegInstall, spec: EncoderSpec) {
    this.spec = spec
    this.#install = install
    this.#writer = new NutWriter(spec)
  }

  /** Starts ffmpeg, given the first frame's timestamp; called by the first push(). */
  async #open(firstPts: number): Promise<void> {
    this.#state = 'open'
    this.#firstPts = this.spec.startAtZero ? firstPts : 0
    this.#temp = await beginTemp(this.spec.path)
    const {timeBase} = this.spec
    const args = [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
      ...['-f', 'nut', '-i', 'pipe:0'],
      ...this.spec.extraInputs((firstPts * timeBase.num) / timeBase.den),
      ...this.spec.outputArgs,
      ...this.#install.passthrough,
      // The encoder keeps the pushed time base, so each timestamp lands on the same tick it was pushed with
      // (ffmpeg 4.x would otherwise use 1/frame-rate, rounding variable frame rates onto a grid).
      ...['-enc_time_base', `${timeBase.num}:${timeBase.den}`],
      this.#temp,
    ]
    this.#process = new FfmpegProcess(this.#install.ffmpeg.path, args, 'pipe')
    this.#stdin().on('error', () => undefined) // EPIPE when ffmpeg fails: reported from its exit instead
    await this.#write(this.#writer.header())
  }

  #stdin(): Writable {
    const stdin = this.#process?.child.stdin
    if (stdin === null || stdin === undefined) throw new Error('encoder not open')
    return stdin
  }

  async #write(bytes: Uint8Array): Promise<void> {
    const stdin = this.#stdin()
    if (stdin.write(bytes)) return
    // Back-pressure: wait until ffmpeg has read the pipe down, or has died.
    const exited = this.#process!.exited.then(() => 'exit' as const)
    const drained = once(stdin, 'drain').then(() => 'drain' as const)
    if ((await Promise.race([drained, exited])) === 'exit') throw await this.#failure()
  }

  async #failure(): Promise<Error> {
    const exit = await this.#process!.exited
    const reason = this.#process!.reason()
    await this.abort()
    return new Error(`ffmpeg could not encode ${this.spec.path} (exit ${exit.code ?? exit.signal}): ${reason}`)
  }

  /** The ffmpeg process id once started (for measurements). */
  get pid(): number | undefined {
    return this.#process?.child.pid
  }

  /** Appends one frame; `pts` is an integer in the spec's time base, increasing from frame to frame. */
  async push(pixels: Uint8Array | Uint16Array, pts: number): Promise<void> {
    if (this.#state === 'done') throw new Error(`encoder for ${this.spec.path} is closed`)
    if (!(pts > this.#lastPts)) throw new RangeError(`timestamps must increase: ${pts} after ${this.#lastPts}`)
    if (this.#state === 'new') await this.#open(pts)
    const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)
    await this.#write(this.#writer.frameHeader(pts - this.#firstPts, bytes.length))
    await this.#write(bytes)
    this.#lastPts = pts
    this.frames++
  }

  /** Ends the stream, waits for ffmpeg, and renames the finished file into place. */
  async finish(): Promise<void> {
    if (this.#state === 'done') return
    if (this.frames === 0) {
      await this.abort()
      throw new Error(`no frames to encode into ${this.spec.path}`)
    }
    this.#stdin().end()
    const exit = await this.#process!.exited
    if (exit.code !== 0) throw await this.#failure()
    this.#state = 'done'
    await commitTemp(this.#temp!, this.spec.path)
  }

  /** Stops ffmpeg and deletes the temp file: nothing appears under the final name. */
  async abort(): Promise<void> {
    if (this.#state === 'done') return
    this.#state = 'done'
    this.#process?.child.stdin?.destroy()
    await this.#process?.stop(500)
    if (this.#temp !== undefined) await discardTemp(this.#temp)
  }
}

/** The timestamp `seconds` in `timeBase`, rounded to the nearest tick. */
export const ptsOf = (seconds: number, timeBase: Rational): number => Math.round((seconds * timeBase.den) / timeBase.num)
