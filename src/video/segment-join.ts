import {writeFile} from 'node:fs/promises'
import {FfmpegProcess} from './ffmpeg-process.js'
import type {FfmpegInstall} from './ffmpeg-locate.js'
import {MP4_AUDIO, type AudioSource} from './encode-specs.js'
import type {Rational} from './nut-format.js'
import type {SegmentCodec} from './segments.js'
import {beginTemp, commitTemp, discardTemp} from './temp-output.js'

/** A finished segment: its file and the source timestamp of its first frame. */
export interface SegmentFile {
  readonly path: string
  /** In `timeBase` (the decoder's), as pushed. */
  readonly firstPts: number
}

export interface JoinPlan {
  readonly codec: SegmentCodec
  /** In order; the first one's first frame becomes time 0 of the output. */
  readonly segments: readonly SegmentFile[]
  readonly timeBase: Rational
  /** The final file: Matroska for FFV1, MP4 for H.264. */
  readonly path: string
  /** Where the concat list is written (next to the segments). */
  readonly listPath: string
  /** MP4: the source's audio, cut like the frames; its start is moved to the first frame's instant. */
  readonly audio?: AudioSource | undefined
}

/** Microseconds from the first segment's start to segment k's, rounded once (the running sum stays exact). */
const micros = (plan: JoinPlan, k: number): number => {
  const {num, den} = plan.timeBase
  return Math.round(((plan.segments[k]!.firstPts - plan.segments[0]!.firstPts) * num * 1e6) / den)
}

const seconds6 = (us: number): string => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`

/**
 * ffmpeg's concat demuxer list. Each segment starts at 0 in its file (ffmpeg shifts an encode's input to 0), and
 * the demuxer places file k at the sum of the `duration`s before it: those are the differences of the rounded
 * microseconds above, so that sum is segment k's offset rounded once — within half a microsecond, i.e. exactly
 * its own timestamp again in any time base coarser than a microsecond.
 */
export function concatList(plan: JoinPlan): string {
  const quote = (path: string): string => `'${path.replaceAll("'", "'\\''")}'`
  const lines = ['ffconcat version 1.0']
  plan.segments.forEach((segment, k) => {
    lines.push(`file ${quote(segment.path)}`)
    if (k + 1 < plan.segments.length) lines.push(`duration ${seconds6(micros(plan, k + 1) - micros(plan, k))}`)
  })
  return lines.join('\n') + '\n'
}

/** The ffmpeg command line of a join into `output`. */
export function joinArgs(install: FfmpegInstall, plan: JoinPlan, output: string): string[] {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', plan.listPath]
  const audio = plan.codec === 'h264' && plan.audio !== undefined && plan.audio.codecs.length > 0 ? plan.audio : undefined
  const maps = ['-map', '0:v', '-c:v', 'copy']
  if (audio !== undefined) {
    // The audio from the first frame's instant (the output starts there), for as long as the frames were cut.
    const {num, den} = plan.timeBase
    const first = (plan.segments[0]!.firstPts * num) / den
    const from = (audio.start ?? 0) + first
    if (from > 0) args.push('-ss', String(from))
    if (audio.duration !== undefined) args.push('-t', String(Math.max(0, audio.duration - first)))
    args.push('-i', audio.path)
    const copy = audio.codecs.every((c) => MP4_AUDIO.has(c))
    maps.push('-map', '1:a?', ...(copy ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '192k']))
  }
  const container = plan.codec === 'h264' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'matroska']
  return [...args, ...maps, ...install.passthrough, '-fflags', '+bitexact', ...container, output]
}

/**
 * Joins the segments by stream copy into the final file, atomically (a temp name renamed into place; Ctrl-C
 * removes the temp). `signal` aborts a join in progress (the run was interrupted).
 */
export async function joinSegments(install: FfmpegInstall, plan: JoinPlan, signal?: AbortSignal): Promise<void> {
  if (plan.segments.length === 0) throw new Error(`no segment to join into ${plan.path}`)
  await writeFile(plan.listPath, concatList(plan))
  const temp = await beginTemp(plan.path)
  const ffmpeg = new FfmpegProcess(install.ffmpeg.path, joinArgs(install, plan, temp), 'ignore')
  const stop = (): void => void ffmpeg.stop(500)
  signal?.addEventListener('abort', stop)
  try {
    const exit = await ffmpeg.exited
    if (exit.code !== 0) throw new Error(`ffmpeg could not join the segments of ${plan.path} (exit ${exit.code ?? exit.signal}): ${ffmpeg.reason()}`)
    await commitTemp(temp, plan.path)
  } catch (error) {
    await discardTemp(temp)
    throw error
  } finally {
    signal?.removeEventListener('abort', stop)
  }
}
