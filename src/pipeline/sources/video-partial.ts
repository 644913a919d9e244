import {readdir, readFile, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {isDeepStrictEqual} from 'node:util'
import type {StabilizerState} from '../../video/stabilize.js'
import type {Rational} from '../../video/nut-format.js'
import {joinOutput} from '../paths.js'
import {outputExists, writeFileAtomic} from '../sinks/atomic.js'

/**
 * The partial folder of a video being processed, next to its outputs (`out/.clip.dpt-partial/`). It exists from
 * the first frame of a video until every output of it is complete, so on a later run its presence alone says
 * "unfinished": with --skip-existing the video resumes from what it holds, otherwise it counts as an existing
 * output. It holds
 * - `run.json`: the settings the frames depend on (a resumed run must use the same ones);
 * - `<format>/000000.nut …` and `<format>/segments.json`: the finished segments of each encoded video;
 * - `stable/000256.json …`: the one-pass normaliser's state before frame 256, 512, … (its state is a few
 *   thousand numbers, video/stabilize.ts).
 * Every file in it is written atomically, so whatever a killed run left is complete. Dot folders are never
 * read as inputs.
 */

export const partialDirOf = (outDir: string, videoStem: string): string => {
  const path = joinOutput(outDir, videoStem, '')
  return join(dirname(path), `.${basename(path)}.dpt-partial`)
}

/** What a video's frames and states depend on: checked before resuming (a resumed run must use the same). */
export interface RunFingerprint {
  readonly source: FileStamp
  /** The model's graph file, and how the network reads the frames (its input size, 16-bit samples). */
  readonly model: FileStamp & {readonly path: string; readonly reads: string}
  readonly fps: number | null
  readonly start: number | null
  readonly duration: number | null
  readonly segmentFrames: number
  /** The normalisation of the normalised outputs and, for `stable`, its EMA weight. */
  readonly normalize: string
  /** The other options the outputs depend on, as the task states them (colour map, crf, side by side, …). */
  readonly outputs: string
}

interface FileStamp {
  readonly size: number
  readonly mtimeMs: number
}

const stampOf = async (path: string): Promise<FileStamp> => {
  const info = await stat(path)
  return {size: info.size, mtimeMs: info.mtimeMs}
}

/** The fingerprint of a run on the video at `path`, with the model at `model.path`. */
export async function fingerprintOf(
  path: string,
  model: {readonly path: string; readonly reads: string},
  fields: Omit<RunFingerprint, 'source' | 'model'>,
): Promise<RunFingerprint> {
  return {source: await stampOf(path), model: {path: model.path, ...(await stampOf(model.path)), reads: model.reads}, ...fields}
}

/** The fields of two fingerprints that differ, named for the user. */
function differences(stored: Record<string, unknown>, current: RunFingerprint): string[] {
  const names: Record<keyof RunFingerprint, string> = {
    source: 'the video file (size or time)',
    model: 'the model or its input size / 16-bit reading',
    fps: '--fps',
    start: '--start',
    duration: '--duration',
    segmentFrames: 'the segment length',
    normalize: '--normalize / --ema',
    outputs: `the output options (then: ${String(stored.outputs)}; now: ${current.outputs})`,
  }
  return (Object.keys(names) as (keyof RunFingerprint)[]).filter((k) => !isDeepStrictEqual(stored[k], current[k])).map((k) => names[k])
}

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value) + '\n')

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

export const writeRunFile = (partialDir: string, fingerprint: RunFingerprint): Promise<void> =>
  writeFileAtomic(join(partialDir, 'run.json'), json({version: 1, ...fingerprint}))

export const removePartial = (partialDir: string): Promise<void> => rm(partialDir, {recursive: true, force: true})

// ---------------------------------------------------------------------------------------------------------
// Segments of an encoded video

export interface SegmentRecord {
  readonly index: number
  /** Source timestamp of its first frame (the stream's time base). */
  readonly firstPts: number
  readonly frames: number
  /** It ends with the video's last frame. */
  readonly final: boolean
}

export interface SegmentManifest {
  readonly timeBase: Rational
  readonly segments: readonly SegmentRecord[]
}

/** Segment k of a format: `<format>/00000k.nut` (FFV1) or `.mp4` (H.264), see video/segments.ts. */
export const segmentPath = (partialDir: string, format: string, index: number, extension: string): string =>
  join(partialDir, format, `${String(index).padStart(6, '0')}${extension}`)

const manifestPath = (partialDir: string, format: string): string => join(partialDir, format, 'segments.json')

export const readManifest = (partialDir: string, format: string): Promise<SegmentManifest | undefined> =>
  readJson<SegmentManifest>(manifestPath(partialDir, format))

/** Rewritten after each finished segment (whose file is in place by then). */
export const writeManifest = (partialDir: string, format: string, manifest: SegmentManifest): Promise<void> =>
  writeFileAtomic(manifestPath(partialDir, format), json(manifest))

/**
 * How many segments from the first are finished in a format's folder. A final segment is never counted: the
 * run that resumes must decode at least one frame to finish the video, so it encodes that one again.
 */
async function finishedSegments(partialDir: string, format: {readonly name: string; readonly extension: string}): Promise<number> {
  const manifest = await readManifest(partialDir, format.name)
  const byIndex = new Map((manifest?.segments ?? []).map((s) => [s.index, s]))
  let k = 0
  for (;;) {
    const segment = byIndex.get(k)
    if (segment === undefined || segment.final || !(await outputExists(segmentPath(partialDir, format.name, k, format.extension)))) return k
    k++
  }
}

// ---------------------------------------------------------------------------------------------------------
// States of the one-pass normalisation

const statePath = (partialDir: string, boundary: number): string => join(partialDir, 'stable', `${String(boundary).padStart(6, '0')}.json`)

/** The state after frames 0 … boundary − 1. */
export const writeStableState = (partialDir: string, boundary: number, state: StabilizerState): Promise<void> =>
  writeFileAtomic(statePath(partialDir, boundary), json(state))

export const readStableState = (partialDir: string, boundary: number): Promise<StabilizerState | undefined> =>
  readJson<StabilizerState>(statePath(partialDir, boundary))

// ---------------------------------------------------------------------------------------------------------
// Planning one video of a run

export interface VideoOutputs {
  /** Per-frame files of frame k (its outStem `<stem>/00000k`): the file sinks' paths. */
  perFrame(frameStem: string): readonly string[]
  /** The encoded videos, once per video. */
  readonly finals: readonly string[]
  /** The formats encoded in segments: their folder in the partial folder, and their segments' file ending. */
  readonly segmented: readonly {readonly name: string; readonly extension: string}[]
  /** Whether the normalised outputs go through the one-pass stabiliser (states saved per segment). */
  readonly stable: boolean
  /** --normalize global: the range needs every frame, so an unfinished video starts again from its first frame. */
  readonly restart: boolean
}

export type VideoPlan =
  | {readonly kind: 'fresh'}
  | {readonly kind: 'resume'; readonly from: number}
  | {readonly kind: 'done'}
  | {readonly kind: 'exists'; readonly paths: readonly string[]}
  | {readonly kind: 'mismatch'; readonly reason: string}

/** Whether per-frame outputs of frame k exist, for k = 0, 1, …: from one listing of the frames' folder. */
async function framesPresent(videoDir: string, outputs: VideoOutputs, frameStemOf: (k: number) => string): Promise<(k: number) => boolean> {
  const names = new Set(await readdir(videoDir).catch(() => [] as string[]))
  return (k) => {
    const paths = outputs.perFrame(frameStemOf(k))
    return paths.length > 0 && paths.every((p) => dirname(p) === videoDir && names.has(basename(p)))
  }
}

/**
 * What a run does with one video, given what earlier runs left:
 * - nothing there: `fresh`;
 * - under `refuse` (neither flag): any final video, frame-0 output or partial folder is `exists`;
 * - under `skip`, no partial folder: `done` when its outputs are there (the encoded videos, or frame 0's files);
 * - under `skip`, a partial folder: `resume` from the first frame that must be processed again — the first frame
 *   without all its files, or the first frame of the first unfinished segment, whichever comes first; with
 *   segments or the one-pass normalisation, rounded down to a segment boundary whose state was saved. Frames from
 *   there on are processed as in an uninterrupted run (their existing files are written again, the same bytes).
 * `overwrite` is always `fresh` (the caller removes the partial folder).
 */
export async function planVideo(options: {
  readonly policy: 'refuse' | 'skip' | 'overwrite'
  readonly partialDir: string
  readonly videoDir: string
  readonly outputs: VideoOutputs
  readonly fingerprint: RunFingerprint
  readonly segmentFrames: number
  readonly frameStemOf: (k: number) => string
}): Promise<VideoPlan> {
  const {outputs, partialDir, segmentFrames: n} = options
  if (options.policy === 'overwrite') return {kind: 'fresh'}
  const partial = await stat(partialDir).then(
    (s) => s.isDirectory(),
    () => false,
  )
  const present = await framesPresent(options.videoDir, outputs, options.frameStemOf)
  const finals = await Promise.all(outputs.finals.map(async (p) => ((await outputExists(p)) ? p : undefined)))
  if (options.policy === 'refuse') {
    const found = [...finals.filter((p) => p !== undefined), ...(present(0) ? outputs.perFrame(options.frameStemOf(0)) : []), ...(partial ? [partialDir] : [])]
    return found.length > 0 ? {kind: 'exists', paths: found} : {kind: 'fresh'}
  }
  if (!partial) {
    const complete = outputs.finals.length > 0 ? finals.every((p) => p !== undefined) : present(0)
    return complete ? {kind: 'done'} : {kind: 'fresh'}
  }
  const stored = await readJson<RunFingerprint & {version: number}>(join(partialDir, 'run.json'))
  if (stored !== undefined) {
    const changed = differences(stored as unknown as Record<string, unknown>, options.fingerprint)
    if (changed.length > 0) {
      return {kind: 'mismatch', reason: `its unfinished outputs (${partialDir}) were made with other settings: ${changed.join('; ')}`}
    }
  }
  if (outputs.restart) return {kind: 'resume', from: 0}
  let firstMissing = Infinity
  if (outputs.perFrame(options.frameStemOf(0)).length > 0) for (firstMissing = 0; present(firstMissing);) firstMissing++
  if (outputs.segmented.length === 0 && !outputs.stable) return {kind: 'resume', from: Number.isFinite(firstMissing) ? firstMissing : 0}
  let segments = Infinity
  for (const format of outputs.segmented) segments = Math.min(segments, await finishedSegments(partialDir, format))
  const target = Math.min(segments * n, firstMissing)
  let from = Number.isFinite(target) ? Math.floor(target / n) * n : 0
  if (outputs.stable) while (from > 0 && (await readStableState(partialDir, from)) === undefined) from -= n
  return {kind: 'resume', from}
}
