/**
 * Generated evaluations for the HTML report's tests and bench: ADE20K-shaped segmentation scenes (class blobs
 * over a background, labels with unlabelled borders, predictions that miss, shift and confuse objects) and
 * depth scenes (a receding floor with boxes, invalid borders, disparity predictions with noise and failures),
 * scored by the real Scorer through in-memory datasets. Deterministic per seed.
 */
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import sharp from 'sharp'
import type {DepthDataset, EvalSample, LabelMap, SegmentDataset} from '../../src/eval/datasets/dataset.js'
import {Scorer, type ScoredImage} from '../../src/eval/predict-score.js'
import {buildReport} from '../../src/eval/report/build.js'
import type {DepthGt, DepthPrediction, DepthProtocol, EvalReport, ModelInfo, SegmentProtocol} from '../../src/eval/types.js'
import {ADE20K_CLASSES, ADE20K_PALETTE} from '../../src/pipeline/render/ade20k.js'
import {random} from './random.js'

export const ADE_PROTOCOL: SegmentProtocol = {task: 'segment', numClasses: 150, ignoreIndex: 255, reduceZeroLabel: true, scales: [1], flip: false}
export const NYU_PROTOCOL: DepthProtocol = {task: 'depth', alignment: 'scale-shift-disparity', minDepth: 1e-3, maxDepth: 10, cap: 10, crops: [], clip: false}
export const SEGMENT_MODEL: ModelInfo = {path: 'models/dpt-hybrid-ade20k', name: 'dpt-hybrid-ade20k', predictions: null, predictionKind: null}
export const DEPTH_MODEL: ModelInfo = {path: 'models/dpt-hybrid', name: 'dpt-hybrid', predictions: null, predictionKind: 'disparity'}

export interface SyntheticImage<G, P> {
  readonly sample: EvalSample
  readonly rgb: {readonly width: number; readonly height: number; readonly data: Uint8Array}
  readonly gt: G
  readonly prediction: P
}

/** A class drawn with ADE20K-like frequencies: a few classes (wall, building, sky, floor …) cover most pixels. */
function zipfClass(rnd: () => number, numClasses: number): number {
  return Math.min(numClasses - 1, Math.floor(numClasses ** rnd() - 1))
}

/** One segmentation scene: raw ADE ids (0 = unlabelled), predicted class indices, and an image that shows the classes. */
export function segmentScene(seed: number, width: number, height: number, quality = 0.8): SyntheticImage<LabelMap, Uint8Array> {
  const rnd = random(seed)
  const n = width * height
  const labels = new Uint8Array(n)
  const pred = new Uint8Array(n)
  const background = zipfClass(rnd, 6)
  labels.fill(background + 1)
  pred.fill(background)
  const objects = 3 + Math.floor(rnd() * 6)
  for (let k = 0; k < objects; k++) {
    const c = zipfClass(rnd, 150)
    const w = Math.max(2, Math.floor(width * (0.1 + 0.4 * rnd())))
    const h = Math.max(2, Math.floor(height * (0.1 + 0.4 * rnd())))
    const x0 = Math.floor(rnd() * (width - w))
    const y0 = Math.floor(rnd() * (height - h))
    // The prediction: shifted a little, sometimes taken for the next class, sometimes missed.
    const roll = rnd()
    const predicted = roll < quality ? c : roll < quality + (1 - quality) / 2 ? (c + 1) % 150 : background
    const dx = Math.round((rnd() - 0.5) * 0.1 * w)
    const dy = Math.round((rnd() - 0.5) * 0.1 * h)
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) {
        const edge = x === x0 || y === y0 || x === x0 + w - 1 || y === y0 + h - 1
        labels[y * width + x] = edge ? 0 : c + 1
        const px = x + dx
        const py = y + dy
        if (px >= 0 && px < width && py >= 0 && py < height) pred[py * width + px] = predicted
      }
    }
  }
  const data = new Uint8Array(n * 3)
  for (let i = 0; i < n; i++) {
    const [r, g, b] = ADE20K_PALETTE[labels[i]!] ?? [0, 0, 0]
    const shade = 0.75 + 0.25 * ((i % width) / width)
    data[i * 3] = r * shade
    data[i * 3 + 1] = g * shade
    data[i * 3 + 2] = b * shade
  }
  const id = `ADE_val_${String(seed).padStart(8, '0')}.jpg`
  return {sample: {id, image: id, gt: [id.replace('.jpg', '.png')]}, rgb: {width, height, data}, gt: {width, height, labels}, prediction: pred}
}

/** One depth scene in metres (floor receding to the top, boxes in front, an invalid border) and a disparity prediction. */
export function depthScene(seed: number, width: number, height: number, noise = 0.05): SyntheticImage<DepthGt, DepthPrediction> {
  const rnd = random(seed)
  const depth = new Float32Array(width * height)
  const far = 4 + 5 * rnd()
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) depth[y * width + x] = 1 + (far - 1) * (1 - y / height) ** 2
  for (let k = 0; k < 3; k++) {
    const d = 0.8 + 3 * rnd()
    const x0 = Math.floor(rnd() * width * 0.7)
    const y0 = Math.floor(rnd() * height * 0.7)
    for (let y = y0; y < Math.min(height, y0 + height / 4); y++) for (let x = x0; x < Math.min(width, x0 + width / 4); x++) depth[y * width + x] = d
  }
  for (let x = 0; x < width; x++) depth[x] = 0 // no depth on the top row
  // Some images are badly predicted: a region seen at the wrong depth.
  const bad = rnd() < 0.2
  const disparity = Float32Array.from(depth, (d, i) => {
    const wrong = bad && i % width < width / 3 ? 2.5 : 1
    return d === 0 ? 0.3 : (0.5 / (d * wrong) + 0.02) * (1 + noise * (rnd() - 0.5))
  })
  const data = new Uint8Array(width * height * 3)
  depth.forEach((d, i) => {
    data[i * 3] = Math.min(255, 255 / (d + 0.3))
    data[i * 3 + 1] = 90 + ((i * 7) % 40)
    data[i * 3 + 2] = Math.min(255, 25 * d)
  })
  const id = `scene_${seed % 7}/rgb_${String(seed).padStart(5, '0')}.png`
  return {
    sample: {id, image: id, gt: [id.replace('rgb_', 'depth_')]},
    rgb: {width, height, data},
    gt: {width, height, depth},
    prediction: {width, height, data: disparity, kind: 'disparity'},
  }
}

/** Writes an image's pixels where its sample says (relative to `root`), as the dataset would hold it. */
export async function writeSampleImage(root: string, image: SyntheticImage<unknown, unknown>): Promise<void> {
  const path = join(root, image.sample.image)
  await mkdir(join(path, '..'), {recursive: true})
  const raw = sharp(image.rgb.data, {raw: {width: image.rgb.width, height: image.rgb.height, channels: 3}})
  await (path.endsWith('.png') ? raw.png() : raw.jpeg({quality: 90})).toFile(path)
}

export interface ScoredRun {
  readonly report: EvalReport
  readonly scorer: Scorer
  /** Milliseconds spent generating scenes, scoring, and in the onScored sink. */
  readonly ms: {readonly generate: number; readonly score: number; readonly sink: number}
}

/**
 * Scores generated images with the real Scorer (in-memory datasets: `readGt` hands back the generated ground
 * truth) and hands each scored image to `sink`; images are generated one at a time and dropped after scoring.
 * Samples' image paths are made absolute under `root` (where `writeSampleImage` puts them).
 */
export async function scoreSynthetic(
  task: 'segment' | 'depth',
  ids: readonly number[],
  make: (seed: number) => SyntheticImage<LabelMap | DepthGt, Uint8Array | DepthPrediction>,
  root: string,
  sink?: (image: ScoredImage, scene: SyntheticImage<unknown, unknown>) => Promise<void>,
): Promise<ScoredRun> {
  let current: SyntheticImage<LabelMap | DepthGt, Uint8Array | DepthPrediction> | undefined
  const base = {name: task === 'segment' ? 'ade20k' : 'nyu', split: task === 'segment' ? 'validation' : 'test', root, samples: []}
  const dataset =
    task === 'segment'
      ? ({...base, task, classNames: ADE20K_CLASSES, readGt: async () => current!.gt as LabelMap} satisfies SegmentDataset)
      : ({...base, task, readGt: async () => current!.gt as DepthGt} satisfies DepthDataset)
  const scorer = new Scorer(dataset, task === 'segment' ? ADE_PROTOCOL : NYU_PROTOCOL)
  const ms = {generate: 0, score: 0, sink: 0}
  scorer.onScored = async (image) => {
    const t = performance.now()
    await sink?.(image, current!)
    ms.sink += performance.now() - t
  }
  for (const seed of ids) {
    let t = performance.now()
    current = make(seed)
    const sample = {...current.sample, image: join(root, current.sample.image)}
    ms.generate += performance.now() - t
    t = performance.now()
    const sinkBefore = ms.sink
    if (task === 'segment') await scorer.segment(sample, current.prediction as Uint8Array, current.gt)
    else await scorer.depth(sample, current.prediction as DepthPrediction, current.gt)
    ms.score += performance.now() - t - (ms.sink - sinkBefore)
  }
  const report = buildReport({
    dataset: {name: base.name, split: base.split, root},
    protocol: scorer.protocol,
    model: task === 'segment' ? SEGMENT_MODEL : DEPTH_MODEL,
    records: scorer.records,
    segmentCounts: scorer.counts,
    classNames: task === 'segment' ? ADE20K_CLASSES : undefined,
    analysis: {confusion: scorer.confusion, depth: scorer.depthAnalysis},
  })
  return {report, scorer, ms}
}
