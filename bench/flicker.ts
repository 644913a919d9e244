/**
 * npm run bench:flicker [-- --part a|b|b-dry --frames 240 --width 320 --height 180 --ema 0.05,0.1,0.2 --seeds 3]
 * npm run bench:flicker -- --part b [--width 1920 --height 1080 --pan-frames 60 --pan 8 --arch dpt-hybrid --keep DIR]
 *
 * Temporal consistency error (src/video/flicker.ts: mean absolute change of the normalised value between
 * consecutive frames over static pixels) of the three normalisations of relative depth for video:
 * per-frame min/max (the reference), global min/max (two passes, --normalize global) and the one-pass
 * stabiliser (src/video/stabilize.ts) at several EMA weights, and per unit of contrast (that change divided by
 * the mean standard deviation of the normalised values, see printTable), on which the targets are judged.
 *
 * (a) Synthetic sequences (bench/lib/synthetic-depth.ts), static pixels known: per-frame scale jitter
 *     (σ of log scale, default 0.03), shift jitter (σ, default 2 % of the range), pixel noise (default 0.2 %),
 *     isolated gross errors (default 0.05 % of the pixels), with and without a near object crossing the
 *     frame. Target (issue 17): one-pass at least 5× below per-frame and within 20 % of global.
 * (b) The full-size random-weight DPT-Hybrid (bench/lib/models.ts) on a generated panning clip (`--part b`): a
 *     still picture (ffmpeg's mandelbrot) panned `--pan` pixels per frame, H.264; `dpt depth` runs on it once in its
 *     own process with `--format npy,png16 --normalize stable` (raw maps for the three normalisations here, and the
 *     16-bit PNGs dpt writes in the one-pass mode, measured as they are); static pixels are known: the scene point at
 *     (x, y) of frame t was at (x + pan, y) in frame t − 1. `--part b-dry` runs the same plumbing with a stand-in
 *     predictor (luminance as "disparity"), without a model.
 * Prints figures; asserts nothing (the targets are reported as met or not).
 */
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {decodeNpyFloat32} from '../src/formats/npy.js'
import {readPng16} from '../src/formats/png16.js'
import {decodeVideo, type VideoFrame} from '../src/video/decode.js'
import {type FfmpegInstall, locateFfmpeg} from '../src/video/ffmpeg-locate.js'
import {FlickerMeter} from '../src/video/flicker.js'
import {probeVideo} from '../src/video/probe.js'
import {runTool} from '../src/video/run-tool.js'
import {type AffineMap, applyMap, DEFAULT_EMA, GlobalRange, OnePassStabilizer, perFrameMap, type StabilizerOptions} from '../src/video/stabilize.js'
import {tempDir} from '../test/helpers/video-clips.js'
import {runDptJson} from './lib/cli.js'
import {ensureBenchModel} from './lib/models.js'
import {syntheticSequence, type SyntheticOptions} from './lib/synthetic-depth.js'

const {values} = parseArgs({
  options: {
    part: {type: 'string', default: 'a'},
    frames: {type: 'string', default: '240'},
    width: {type: 'string', default: '320'},
    height: {type: 'string', default: '180'},
    ema: {type: 'string', default: '0.05,0.1,0.2,0.5'},
    seeds: {type: 'string', default: '3'},
    'scale-jitter': {type: 'string', default: '0.03'},
    'shift-jitter': {type: 'string', default: '0.02'},
    noise: {type: 'string', default: '0.002'},
    outliers: {type: 'string', default: '0.0005'},
    arch: {type: 'string', default: 'dpt-hybrid'},
    pan: {type: 'string', default: '8'},
    'pan-frames': {type: 'string', default: '60'},
    /**
     * Part (b): work in this folder and keep it (the clip, dpt's maps); a later run with the same folder and
     * clip options measures again without running the model (to compare normalisations on the same maps).
     */
    keep: {type: 'string'},
  },
})

interface Row {
  readonly mode: string
  /** The mean absolute change of the normalised value over static pixels (src/video/flicker.ts). */
  readonly error: number
  /** Its contrast: the mean over frames of the standard deviation of the normalised values. */
  readonly contrast: number
}

/** Accumulates Row.contrast frame by frame. */
class ContrastMeter {
  #sum = 0
  #frames = 0
  add(normalised: Float32Array): void {
    let [sum, squares] = [0, 0]
    for (const v of normalised) [sum, squares] = [sum + v, squares + v * v]
    const mean = sum / normalised.length
    this.#sum += Math.sqrt(Math.max(0, squares / normalised.length - mean * mean))
    this.#frames++
  }
  get contrast(): number {
    return this.#sum / this.#frames
  }
}

/** A normalisation: given the frame size, a fresh per-sequence function from raw frame to map. */
type Mode = [string, (width: number, height: number) => (raw: Float32Array) => AffineMap]

function onePass(name: string, options: StabilizerOptions): Mode {
  return [
    name,
    (width, height) => {
      const stabilizer = new OnePassStabilizer(width, height, options)
      return (raw) => stabilizer.next(raw).map
    },
  ]
}

/** Flicker of a sequence of raw frames under per-frame, global and one-pass maps. */
function measure(
  frames: readonly {raw: Float32Array; isStatic?: Uint8Array; shift?: readonly [number, number]}[],
  width: number,
  height: number,
  emas: number[],
): Row[] {
  const global = new GlobalRange()
  for (const f of frames) global.add(f.raw)
  const modes: Mode[] = [
    ['per-frame', () => perFrameMap],
    ['global (two pass)', () => () => global.map()],
    ...emas.map((w) => onePass(`one-pass ema ${w}`, {emaWeight: w})),
    onePass(`one-pass ema ${DEFAULT_EMA}, plain least squares`, {emaWeight: DEFAULT_EMA, fit: 'least-squares'}),
    onePass(`one-pass ema ${DEFAULT_EMA}, Q–Q pairing`, {emaWeight: DEFAULT_EMA, pairing: 'quantiles'}),
  ]
  return modes.map(([mode, make]) => {
    const mapOf = make(width, height)
    const meter = new FlickerMeter()
    const contrast = new ContrastMeter()
    let previous: Float32Array | undefined
    for (const f of frames) {
      const normalised = applyMap(f.raw, mapOf(f.raw))
      if (previous !== undefined) meter.addPair(previous, normalised, width, {isStatic: f.isStatic, shift: f.shift})
      contrast.add(normalised)
      previous = normalised
    }
    return {mode, error: meter.error, contrast: contrast.contrast}
  })
}

function printTable(title: string, rows: Row[]): void {
  // Flicker per unit of contrast: the mean absolute change divided by the mean spread of the normalised values.
  // The plain mean absolute change rewards flattening the depth (a map that squeezes the values squeezes their
  // changes by as much) and a wide range (global's range spans every frame's, so its frames have less contrast
  // than per-frame ones, and less change by the same factor); per unit of contrast neither helps.
  const relative = (r: Row): number => r.error / r.contrast
  const perFrame = relative(rows.find((r) => r.mode === 'per-frame')!)
  const global = rows.find((r) => r.mode.startsWith('global'))!
  console.log(`\n${title}`)
  console.log(
    "| mode | mean abs Δ (×10⁻³) | contrast ÷ global's | flicker = mean abs Δ ÷ contrast (×10⁻³) | per-frame ÷ mode | mode ÷ global | ≥ 5× below per-frame | ≤ 1.2× global |",
  )
  console.log('|---|---:|---:|---:|---:|---:|---|---|')
  for (const r of rows) {
    // Under half of global's contrast the depth is flattened, whatever the figures say.
    const flat = r.contrast < 0.5 * global.contrast
    const verdict = (ok: boolean): string => (r.mode.includes('one-pass') || r.mode.startsWith('dpt') ? (flat ? 'flattened' : ok ? 'met' : 'not met') : '')
    console.log(
      `| ${r.mode} | ${(r.error * 1000).toFixed(3)} | ${(r.contrast / global.contrast).toFixed(2)} | ${(relative(r) * 1000).toFixed(2)} | ` +
        `${(perFrame / relative(r)).toFixed(1)} | ${(relative(r) / relative(global)).toFixed(2)} | ` +
        `${verdict(perFrame / relative(r) >= 5)} | ${verdict(relative(r) / relative(global) <= 1.2)} |`,
    )
  }
}

function partA(): void {
  const [width, height, frames, seeds] = [Number(values.width), Number(values.height), Number(values.frames), Number(values.seeds)]
  const emas = values.ema.split(',').map(Number)
  const jitter = {
    scaleJitter: Number(values['scale-jitter']),
    shiftJitter: Number(values['shift-jitter']),
    noise: Number(values.noise),
    outliers: Number(values.outliers),
  }
  const described = `scale jitter ${jitter.scaleJitter}, shift jitter ${jitter.shiftJitter}, noise ${jitter.noise}, outliers ${jitter.outliers}`
  for (const movingObject of [false, true]) {
    const totals = new Map<string, Row>()
    for (let seed = 1; seed <= seeds; seed++) {
      const options: SyntheticOptions = {width, height, frames, seed, ...jitter, movingObject}
      for (const r of measure([...syntheticSequence(options)], width, height, emas)) {
        const sum = totals.get(r.mode) ?? {mode: r.mode, error: 0, contrast: 0}
        totals.set(r.mode, {mode: r.mode, error: sum.error + r.error / seeds, contrast: sum.contrast + r.contrast / seeds})
      }
    }
    const title = `(a) synthetic ${width}×${height}, ${frames} frames, mean of ${seeds} seeds; ${described}${movingObject ? ', near object crossing' : ', static scene'}`
    printTable(title, [...totals.values()])
  }
}

/** Part (b)'s clip, in `dir`: a pan over a still picture (mandelbrot), `pan` pixels per frame. */
async function panningClip(ff: FfmpegInstall, dir: string, o: {width: number; height: number; frames: number; pan: number}): Promise<string> {
  const picture = join(dir, 'picture.png')
  const clip = join(dir, 'pan.mp4')
  const quiet = ['-hide_banner', '-loglevel', 'error', '-y']
  const wide = o.width + o.pan * o.frames
  await runTool(ff.ffmpeg.path, [...quiet, '-f', 'lavfi', '-i', `mandelbrot=size=${wide}x${o.height}`, '-frames:v', '1', picture])
  const crop = `crop=${o.width}:${o.height}:x='n*${o.pan}':y=0`
  const encode = ['-vf', crop, '-frames:v', String(o.frames), '-c:v', 'libx264', '-crf', '12', '-pix_fmt', 'yuv420p']
  await runTool(ff.ffmpeg.path, [...quiet, '-loop', '1', '-i', picture, ...encode, clip], {timeoutMs: 3_600_000})
  return clip
}

/**
 * Part (b): the clip's frames predicted by `predict`, normalised three ways, each frame compared with the previous
 * one shifted by the known pan.
 */
export async function panningFlicker(
  ff: FfmpegInstall,
  predict: (frame: VideoFrame) => Promise<Float32Array>,
  o: {width: number; height: number; frames: number; pan: number; emas: number[]},
  clip: string,
): Promise<Row[]> {
  const frames: {raw: Float32Array; shift: readonly [number, number]}[] = []
  for await (const frame of await decodeVideo(ff, await probeVideo(ff, clip))) frames.push({raw: await predict(frame), shift: [o.pan, 0]})
  return measure(frames, o.width, o.height, o.emas)
}

/** The flicker of frames as dpt wrote them: 16-bit PNGs, value / 65535, each compared with the previous one shifted by the pan. */
async function writtenFlicker(dir: string, frames: number, width: number, pan: number): Promise<Omit<Row, 'mode'>> {
  const meter = new FlickerMeter()
  const contrast = new ContrastMeter()
  let previous: Float32Array | undefined
  for (let k = 0; k < frames; k++) {
    const {values} = await readPng16(join(dir, `${String(k).padStart(6, '0')}.png`))
    const normalised = Float32Array.from(values, (v) => v / 65535)
    if (previous !== undefined) meter.addPair(previous, normalised, width, {shift: [pan, 0]})
    contrast.add(normalised)
    previous = normalised
  }
  return {error: meter.error, contrast: contrast.contrast}
}

/** The stand-in predictor of `--part b-dry`: luminance as "disparity", so that the plumbing runs without a model. */
const luminance = async (frame: VideoFrame): Promise<Float32Array> => {
  const out = new Float32Array(frame.width * frame.height)
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * frame.pixels[3 * i]! + 0.587 * frame.pixels[3 * i + 1]! + 0.114 * frame.pixels[3 * i + 2]!
  return out
}

const partB = {
  width: Number(values.width),
  height: Number(values.height),
  frames: Number(values['pan-frames']),
  pan: Number(values.pan),
  emas: values.ema.split(',').map(Number),
}
/**
 * Part (b) with dpt's depth maps (or the stand-in predictor when `dry`), in a temporary folder removed afterwards
 * (or in --keep's, kept and reused).
 */
async function partBRun(dry: boolean): Promise<void> {
  const ff = await locateFfmpeg({env: process.env})
  const model = dry ? undefined : ensureBenchModel(values.arch)
  const kept = values.keep
  const dir = kept ?? tempDir('pan')
  if (kept !== undefined) mkdirSync(kept, {recursive: true})
  const done = join(dir, 'done.json')
  const options = JSON.stringify({...partB, emas: undefined, arch: values.arch, dry})
  const reuse = kept !== undefined && existsSync(done) && readFileSync(done, 'utf8') === options
  try {
    const clip = reuse ? join(dir, 'pan.mp4') : await panningClip(ff, dir, partB)
    const size = `${partB.width}×${partB.height} pan, ${partB.frames} frames, ${partB.pan} px/frame`
    if (model === undefined) {
      printTable(`(b, dry run) ${size}, LUMINANCE stand-in predictor (not the model)`, await panningFlicker(ff, luminance, partB, clip))
      return
    }
    const out = join(dir, 'out')
    if (reuse) console.error(`reusing dpt's maps in ${out} (its 16-bit PNGs are from the run that wrote them)`)
    else {
      console.error(`dpt depth on ${clip} (${partB.frames} frames, ${values.arch}, random weights)…`)
      await runDptJson(['depth', clip, '-o', out, '--model', model, '--format', 'npy,png16', '--normalize', 'stable', '--overwrite'])
      if (kept !== undefined) writeFileSync(done, options)
    }
    const npy = async (frame: VideoFrame): Promise<Float32Array> =>
      decodeNpyFloat32(await readFile(join(out, 'pan', `${String(frame.index).padStart(6, '0')}.npy`))).data
    const rows = await panningFlicker(ff, npy, partB, clip)
    rows.push({
      mode: `dpt --normalize stable (its 16-bit PNGs, default --ema)`,
      ...(await writtenFlicker(join(out, 'pan'), partB.frames, partB.width, partB.pan)),
    })
    printTable(`(b) ${values.arch} (random weights) on a ${size}`, rows)
  } finally {
    if (kept === undefined) rmSync(dir, {recursive: true, force: true})
  }
}

if (values.part === 'a') partA()
else if (values.part === 'b-dry' || values.part === 'b') await partBRun(values.part === 'b-dry')
else {
  console.error(`--part must be a, b or b-dry, got ${values.part}`)
  process.exitCode = 2
}
