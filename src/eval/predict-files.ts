import {join} from 'node:path'
import {readDepthFile, type DepthFileFormat} from '../formats/depth-file.js'
import {readLabelPng} from '../formats/png.js'
import {DptError, messageOf} from '../pipeline/errors.js'
import type {PredictionSample} from '../pipeline/sample.js'
import type {EvalSample} from './datasets/dataset.js'
import {isFile, stem} from './datasets/layout.js'
import type {EvalRunSample, Scorable} from './predict-score.js'
import type {DepthPrediction, EvalProtocol, PredictionKind} from './types.js'

/** Saved predictions, matched to dataset images by relative path (the image's id with the extension replaced). */
export interface PredictionSource {
  readonly dir: string
  /** Absolute. */
  readonly dirAbs: string
  /** What the saved depth values are: dpt depth writes disparity for relative models, metres for metric ones. */
  readonly kind: PredictionKind
  /** 16-bit PNG value ÷ this = the prediction (metric models' PNGs hold depth × 256 or × 1000). */
  readonly png16Scale: number
  /** Saved label value = class index + offset (dpt segment writes ADE ids 1..150: offset 1). */
  readonly labelOffset: 0 | 1
}

/** Looked for in this order: the raw float formats first, the normalised 16-bit PNG last. */
const DEPTH_ORDER: readonly [DepthFileFormat, string][] = [
  ['pfm', '.pfm'],
  ['npy', '.npy'],
  ['png16', '.png'],
]

/** Where a prediction for `id` would be, for error messages. */
export const expectedPrediction = (source: PredictionSource, id: string): string => join(source.dir, `${stem(id)}.{pfm,npy,png}`)

/**
 * The saved depth prediction of one image. dpt's png16 of a relative model is `65535·(d−min)/(max−min)`: an
 * affine image of the disparity, so it is only meaningful with a scale-shift alignment (the command refuses
 * png16 disparity without one, through `format`).
 */
export async function loadDepthPrediction(source: PredictionSource, id: string): Promise<{prediction: DepthPrediction; format: DepthFileFormat} | undefined> {
  for (const [format, ext] of DEPTH_ORDER) {
    const path = join(source.dirAbs, `${stem(id)}${ext}`)
    if (!(await isFile(path))) continue
    const map = await readDepthFile(path, format, format === 'png16' ? source.png16Scale : 1)
    return {prediction: {width: map.width, height: map.height, data: map.depth, kind: source.kind}, format}
  }
  return undefined
}

/** The saved label map of one image as class indices (value − offset; a 0 under offset 1 matches no class). */
export async function loadLabelPrediction(source: PredictionSource, id: string): Promise<{width: number; height: number; classes: Int32Array} | undefined> {
  const path = join(source.dirAbs, `${stem(id)}.png`)
  if (!(await isFile(path))) return undefined
  const png = await readLabelPng(path)
  const classes = new Int32Array(png.values.length)
  for (let i = 0; i < classes.length; i++) classes[i] = png.values[i]! - source.labelOffset
  return {width: png.width, height: png.height, classes}
}

/** A dataset image whose prediction is loaded from the saved files. */
export type SavedPredictionSample = PredictionSample<Scorable> & EvalRunSample

/**
 * Saved predictions as a source of the scheduler (predictions mode of dpt eval): one sample per dataset image, its
 * prediction loaded instead of inferred. A missing or unreadable file fails that image; a normalised 16-bit PNG of
 * disparity without a scale-and-shift alignment stops the run (every other image would be meaningless too).
 */
export function savedPredictionSamples(source: PredictionSource, samples: readonly EvalSample[], protocol: EvalProtocol): SavedPredictionSample[] {
  const load = async (sample: EvalSample): Promise<Scorable> => {
    // Depth maps and point pairs (DIW) read the same saved depth predictions.
    if (protocol.task !== 'segment') {
      const loaded = await loadDepthPrediction(source, sample.id).catch((e: unknown) => {
        throw new Error(`prediction: ${messageOf(e)}`)
      })
      if (loaded === undefined) throw new Error(`no prediction at ${expectedPrediction(source, sample.id)}`)
      // A min-max PNG keeps the order of values (ties aside): point pairs can read it without an alignment.
      if (loaded.format === 'png16' && source.kind === 'disparity' && protocol.task === 'depth' && !protocol.alignment.startsWith('scale-shift')) {
        throw new DptError(`${sample.id}: 16-bit PNG predictions are min-max normalised disparity; they only make sense with a scale-and-shift alignment`, {
          remedy: 'Use --alignment scale-shift-disparity, or save raw predictions with dpt depth --format pfm or npy.',
          abortsRun: true,
        })
      }
      const {width, height, data} = loaded.prediction
      return {width, height, values: data}
    }
    const loaded = await loadLabelPrediction(source, sample.id).catch((e: unknown) => {
      throw new Error(`prediction: ${messageOf(e)}`)
    })
    if (loaded === undefined) throw new Error(`no prediction at ${expectedPrediction(source, sample.id).replace('{pfm,npy,png}', 'png')}`)
    return loaded
  }
  return samples.map((sample) => ({
    kind: 'prediction',
    id: sample.id,
    label: sample.id,
    outStem: stem(sample.id),
    evalSample: sample,
    load: () => load(sample),
  }))
}
