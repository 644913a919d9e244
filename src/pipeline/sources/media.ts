import {extname, resolve} from 'node:path'
import pLimit from 'p-limit'
import {type FfmpegInstall, locateFfmpeg, requireEncoders} from '../../video/ffmpeg-locate.js'
import {probeMedia} from '../../video/open.js'
import {sniffVideo, type VideoContainer} from '../../video/sniff.js'
import {DptError, messageOf} from '../errors.js'
import {display} from '../paths.js'
import type {RunSettings} from '../settings.js'
import type {VideoSettings} from '../video-settings.js'
import {checkOutputs} from './existing-outputs.js'
import type {FileSample} from './files.js'
import {estimateFrames} from './video-estimate.js'
import {failedFile, videoFrameSamples} from './video-frames.js'
import {frameStem, type VideoJob} from './video-job.js'
import {fingerprintOf, partialDirOf, planVideo, removePartial, writeRunFile, type RunFingerprint, type VideoPlan} from './video-partial.js'
import {joinOutput} from '../paths.js'

/** What the task writes for videos, besides its per-frame files (tasks/video-outputs.ts builds it). */
export interface VideoTaskOutputs {
  /** The video formats asked for, as given to --format (for the note about still images). */
  readonly formats: readonly string[]
  /** The encoded videos of a video whose output stem is `stem`. */
  finals(stem: string): readonly string[]
  /** Formats encoded in segments: their folders in the partial folder and their segments' file ending. */
  readonly segmented: readonly {readonly name: string; readonly extension: string}[]
  /** ffmpeg encoders the formats need, checked before the run. */
  readonly encoders: readonly string[]
  /** The normalised outputs go through the one-pass stabiliser. */
  readonly stable: boolean
  /** --normalize global: an unfinished video starts again from its first frame. */
  readonly restart: boolean
  /** The normalisation in force, e.g. `stable ema 0.1` (a resumed run must use the same). */
  readonly normalize: string
  /** The other options the outputs depend on, e.g. `colormap inferno, crf 18` (a resumed run must use the same). */
  readonly settings: string
}

/** The inputs of a run, still images and videos, ready for the scheduler. */
export interface MediaPlan {
  readonly samples: Iterable<FileSample> | AsyncIterable<FileSample>
  /** Still images plus the frames the videos are expected to give (an estimate for videos). */
  readonly total: number
  /** Still images and whole videos skipped because their outputs exist (--skip-existing). */
  readonly skippedExisting: number
  /** Things the user should know, also filled during the run (what ffmpeg said about a file it decoded around). */
  readonly notes: string[]
  /** The partial folders of the videos this run may process (those that exist after an interruption are kept). */
  readonly partialDirs: readonly string[]
}

/** File name endings that claim a video: a file with one of them that is no video is reported, not skipped. */
const VIDEO_EXTENSIONS = new Set([
  '.mp4',
  '.m4v',
  '.mov',
  '.mkv',
  '.webm',
  '.avi',
  '.mpg',
  '.mpeg',
  '.ts',
  '.m2ts',
  '.mts',
  '.flv',
  '.ogv',
  '.wmv',
  '.asf',
  '.3gp',
])

/** The container of a video file, by content; a file whose name claims a video goes to ffprobe, which says why not. */
async function videoKind(path: string): Promise<VideoContainer | 'claimed' | undefined> {
  const kind = await sniffVideo(path).catch(() => undefined)
  return kind ?? (VIDEO_EXTENSIONS.has(extname(path).toLowerCase()) ? 'claimed' : undefined)
}

interface VideoEntry {
  readonly file: FileSample
  readonly finals: readonly string[]
  readonly plan: VideoPlan | {readonly kind: 'failed'; readonly reason: string}
  readonly job?: VideoJob
  readonly fingerprint?: RunFingerprint
  readonly frames: number
}

/**
 * The file source with videos: every file is sniffed; a video (by content, or by a name that claims one) is
 * probed and planned before the run (so the progress bar has a total, a missing encoder or an existing output
 * stops the run before the model loads) and becomes a lazy stream of frame samples; a still image stays one
 * sample, exactly as before. Videos that cannot be read become failed samples of their file, reported while the
 * rest goes on. Without a video among the inputs nothing of this runs beyond the sniffing, and ffmpeg is not
 * needed.
 */
export async function planMedia(
  files: readonly FileSample[],
  settings: RunSettings,
  video: VideoSettings,
  task: {readonly outputs: (sample: Pick<FileSample, 'outStem'>) => readonly string[]; readonly video: VideoTaskOutputs},
): Promise<MediaPlan> {
  const limit = pLimit(16)
  const kinds = await Promise.all(files.map((f) => limit(() => videoKind(f.path))))
  const images = files.filter((_, i) => kinds[i] === undefined)
  const videos = files.flatMap((file, i) => {
    const kind = kinds[i]
    return kind === undefined ? [] : [{file, kind}]
  })
  const skipped = await checkOutputs(images, task.outputs, settings)
  const notes: string[] = []
  if (videos.length === 0) {
    const work = images.filter((s) => !skipped.has(s))
    return {samples: work, total: work.length, skippedExisting: skipped.size, notes, partialDirs: []}
  }
  const install = await locateFfmpeg({ffmpeg: video.ffmpeg.path, env: video.ffmpeg.env})
  if (task.video.encoders.length > 0) await requireEncoders(install, task.video.encoders)
  const entries: VideoEntry[] = []
  for (const {file, kind} of videos) entries.push(await planEntry(file, kind, install, settings, video, task))
  refuseExisting(entries, files, settings)
  const skippedVideos = entries.filter((e) => e.plan.kind === 'done').length
  const byFile = new Map(entries.map((e) => [e.file, e]))
  const decode = {fps: video.fps, start: video.start, duration: video.duration, bitDepth: 'auto' as const, channels: 3 as const}

  async function* samples(): AsyncGenerator<FileSample> {
    for (const file of files) {
      const entry = byFile.get(file)
      if (entry === undefined) {
        if (!skipped.has(file)) yield file
        continue
      }
      const {plan, job, fingerprint} = entry
      if (plan.kind === 'failed') yield failedFile(file, plan.reason)
      else if (plan.kind === 'mismatch') yield failedFile(file, `${plan.reason}: run again with --overwrite to start it again`)
      else if ((plan.kind === 'fresh' || plan.kind === 'resume') && job !== undefined && fingerprint !== undefined) {
        yield* videoFrameSamples(
          job,
          decode,
          {
            onStart: async () => {
              if (plan.kind === 'fresh') await removePartial(job.partialDir)
              await writeRunFile(job.partialDir, fingerprint)
            },
            onDone: () => removePartial(job.partialDir),
            onWarning: (line) => notes.push(line),
          },
          settings.sixteenBit,
        )
      }
    }
  }
  const frames = entries.reduce((sum, e) => sum + e.frames, 0)
  const partialDirs = entries.flatMap((e) => (e.job === undefined ? [] : [e.job.partialDir]))
  return {samples: samples(), total: images.length - skipped.size + frames, skippedExisting: skipped.size + skippedVideos, notes, partialDirs}
}

async function planEntry(
  file: FileSample,
  container: VideoContainer | 'claimed',
  install: FfmpegInstall,
  settings: RunSettings,
  video: VideoSettings,
  task: {readonly outputs: (sample: Pick<FileSample, 'outStem'>) => readonly string[]; readonly video: VideoTaskOutputs},
): Promise<VideoEntry> {
  const finals = task.video.finals(file.outStem)
  const failed = (reason: string): VideoEntry => ({file, finals, plan: {kind: 'failed', reason}, frames: 0})
  let probe
  try {
    probe = await probeMedia(install, file.path, container === 'claimed' ? 'mp4' : container)
  } catch (error) {
    return failed(messageOf(error))
  }
  const {width, height} = probe.video
  if (width * height > settings.maxPixels) return failed(`${width}×${height} frames exceed --max-pixels ${settings.maxPixels}`)
  const partialDir = partialDirOf(settings.outDir, file.outStem)
  const {inputSize, sixteenBit} = settings
  const reads = `input size ${inputSize === undefined ? 'of the card' : `${inputSize.width}×${inputSize.height}`}, 16-bit ${sixteenBit}`
  const fingerprint = await fingerprintOf(
    file.path,
    {path: settings.model.onnxPath, reads},
    {
      fps: video.fps ?? null,
      start: video.start ?? null,
      duration: video.duration ?? null,
      segmentFrames: video.segmentFrames,
      normalize: task.video.normalize,
      outputs: task.video.settings,
    },
  )
  const plan = await planVideo({
    policy: settings.existing,
    partialDir,
    videoDir: joinOutput(settings.outDir, file.outStem, ''),
    outputs: {
      perFrame: (stem) => task.outputs({outStem: stem}),
      finals,
      segmented: task.video.segmented,
      stable: task.video.stable,
      restart: task.video.restart,
    },
    fingerprint,
    segmentFrames: video.segmentFrames,
    frameStemOf: (k) => frameStem(file.outStem, k),
  })
  const resumeFrom = plan.kind === 'resume' ? plan.from : 0
  const job: VideoJob = {
    id: file.id,
    label: file.label,
    path: file.path,
    outStem: file.outStem,
    probe,
    install,
    partialDir,
    resumeFrom,
    segmentFrames: video.segmentFrames,
    audio: {path: file.path, codecs: probe.audio.map((a) => a.codec), start: video.start, duration: video.duration},
    stream: undefined,
    broken: undefined,
  }
  const frames = plan.kind === 'fresh' || plan.kind === 'resume' ? Math.max(1, estimateFrames(probe, video) - resumeFrom) : 0
  return {file, finals, plan, job, fingerprint, frames}
}

/** An encoded video that would land on an input, and existing outputs without --skip-existing / --overwrite, stop the run. */
function refuseExisting(entries: readonly VideoEntry[], files: readonly FileSample[], settings: RunSettings): void {
  const inputs = new Set(files.map((f) => resolve(f.path)))
  const existing: string[] = []
  for (const {plan, finals} of entries) {
    const clash = finals.find((p) => inputs.has(resolve(p)))
    if (clash !== undefined) {
      throw new DptError(`Refusing to write ${display(settings.cwd, clash)}: it is one of the inputs`, {
        remedy: 'Choose an output directory (-o) that does not hold the inputs.',
      })
    }
    if (plan.kind === 'exists') existing.push(...plan.paths)
  }
  if (existing.length > 0) {
    const shown = existing.slice(0, 3).map((p) => display(settings.cwd, p))
    throw new DptError(`${existing.length} output file(s) already exist, e.g. ${shown.join(', ')}`, {
      remedy: 'Pass --skip-existing to resume the run, or --overwrite to replace them.',
    })
  }
}
