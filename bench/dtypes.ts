/**
 * npm run bench:dtypes [-- --arch dpt-hybrid,dpt-large --dtype fp16,q8 --images 12 --threads 2]
 *
 * The fp16 and int8 (dynamically quantised) variants of a full-size random-weight model against its fp32 graph,
 * through the same pipeline on the same photos: images/s of each, and how far their outputs are from fp32's —
 * per image Pearson correlation of the raw predictions (npy), and AbsRel / δ>1.25 of the DPT zero-shot protocol
 * (scale-and-shift alignment in disparity, depth capped) with fp32's output as the ground truth. Random weights say nothing about real-weight
 * accuracy; this measures the numerical agreement of the variants only. Prints figures; asserts nothing.
 */
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {scoreDepthImage} from '../src/eval/metrics/depth-image.js'
import type {DepthProtocol} from '../src/eval/types.js'
import {VARIANT_FILES, type Dtype} from '../src/model/locate.js'
import {readNpy} from '../test/helpers/fixtures.js'
import {runDptJson} from './lib/cli.js'
import {ensureBenchModel} from './lib/models.js'
import {ensurePhotos} from './lib/photos.js'
import {type RunResult} from '../src/pipeline/images.js'

const {values} = parseArgs({
  options: {
    arch: {type: 'string', default: 'dpt-hybrid,dpt-large'},
    dtype: {type: 'string', default: 'fp16,q8'},
    images: {type: 'string', default: '12'},
    threads: {type: 'string', default: String(availableParallelism())},
  },
})

/** The zero-shot protocol with fp32's output as ground truth: scale-and-shift in disparity, depth capped. */
const PROTOCOL: DepthProtocol = {task: 'depth', alignment: 'scale-shift-disparity', minDepth: 0, maxDepth: Infinity, cap: 80, crops: [], clip: false}

/**
 * Pearson correlation of the raw outputs, and the DPT zero-shot evaluation of `variant` against `reference`
 * taken as ground truth: the reference disparity scaled to a maximum of 1 and inverted to depth, valid where that
 * depth is under the cap (80, KITTI's), the variant aligned to it by least squares in disparity, then AbsRel and
 * δ>1.25 on depth — the numbers a real-weight evaluation would report, here as disagreement with fp32.
 */
function agreement(reference: Float32Array, variant: Float32Array, width: number, height: number): {correlation: number; absRel: number; badPct: number} {
  const n = reference.length
  let sr = 0
  let sv = 0
  let max = 0
  for (let i = 0; i < n; i++) {
    sr += reference[i]!
    sv += variant[i]!
    max = Math.max(max, reference[i]!)
  }
  const mr = sr / n
  const mv = sv / n
  let cov = 0
  let vr = 0
  let vv = 0
  for (let i = 0; i < n; i++) {
    const a = reference[i]! - mr
    const b = variant[i]! - mv
    cov += a * b
    vr += a * a
    vv += b * b
  }
  const depth = Float32Array.from(reference, (d) => (d / max > 1 / PROTOCOL.cap! ? max / d : 0))
  const score = scoreDepthImage({width, height, data: variant, kind: 'disparity'}, {width, height, depth}, PROTOCOL)
  return {correlation: cov / Math.sqrt(vr * vv), absRel: score.metrics?.absRel ?? Number.NaN, badPct: score.metrics?.deltaAbove125Pct ?? Number.NaN}
}

async function depthRun(photos: string, model: string, dtype: Dtype, out: string): Promise<RunResult> {
  return runDptJson<RunResult>(['depth', photos, '-o', out, '--model', model, '--dtype', dtype, '--format', 'npy', '--threads', values.threads, '--overwrite'])
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const fmt = (n: number, digits = 3): string => n.toFixed(digits)

async function main(): Promise<void> {
  const photos = await ensurePhotos(Number(values.images))
  console.log(`${values.images} photos in ${photos}; threads ${values.threads}; agreement on raw predictions (npy) at the original size`)
  for (const arch of values.arch.split(',')) {
    const model = ensureBenchModel(arch)
    const root = mkdtempSync(join(tmpdir(), 'dpt-bench-dtypes-'))
    try {
      const fp32 = await depthRun(photos, model, 'fp32', join(root, 'fp32'))
      console.log(`\n${arch}\n  fp32  ${fmt(fp32.timing.imagesPerSecond)} images/s`)
      for (const dtype of values.dtype.split(',') as Dtype[]) {
        if (!existsSync(join(model, 'onnx', VARIANT_FILES[dtype]))) {
          console.log(`  ${dtype}  missing: tools/.venv/bin/python tools/export_random.py --arch ${arch} --out ${model} --dtypes ${dtype}`)
          continue
        }
        const run = await depthRun(photos, model, dtype, join(root, dtype))
        const scores = readdirSync(join(root, 'fp32'))
          .filter((f) => f.endsWith('.npy'))
          .map((f) => {
            const reference = readNpy(join(root, 'fp32', f))
            const [height = 0, width = 0] = reference.shape
            return agreement(reference.data as Float32Array, readNpy(join(root, dtype, f)).data as Float32Array, width, height)
          })
        const correlations = scores.map((s) => s.correlation)
        console.log(
          `  ${dtype.padEnd(4)}  ${fmt(run.timing.imagesPerSecond)} images/s (${fmt(run.timing.imagesPerSecond / fp32.timing.imagesPerSecond, 2)}× fp32); ` +
            `vs fp32: correlation mean ${fmt(mean(correlations), 5)} (min ${fmt(Math.min(...correlations), 5)}), ` +
            `AbsRel mean ${fmt(mean(scores.map((s) => s.absRel)), 5)} (max ${fmt(Math.max(...scores.map((s) => s.absRel)), 5)}), ` +
            `δ>1.25 mean ${fmt(mean(scores.map((s) => s.badPct)), 3)} %`,
        )
      }
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  }
}

await main()
