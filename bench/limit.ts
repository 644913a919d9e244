/**
 * npm run bench:limit [-- --arch dpt-hybrid,dpt-large --dtype fp32,q8 --images 10 --sizes 1920x1080 --threads 2]
 *
 * How close inference runs to this machine's limit: the practical GEMM peak (one large MatMul through
 * onnxruntime with the pipeline's own session options and threads: fp32 MatMul, and the u8×s8 MatMulInteger
 * that dynamically quantised models run), then `dpt bench` per model and dtype, and the fraction of the peak its
 * session.run reaches (FLOPs from onnxruntime's profiler), and int8's speed-up over fp32. Prints figures;
 * asserts nothing.
 */
import {availableParallelism} from 'node:os'
import {parseArgs} from 'node:util'
import * as ort from 'onnxruntime-node'
import type {BenchResult} from '../src/bench/run.js'
import {sessionOptions} from '../src/pipeline/infer/session-options.js'
import {percentile} from '../src/pipeline/stats.js'
import {runDptJson} from './lib/cli.js'
import {ensureBenchModel, ensureMatmulModel} from './lib/models.js'

const {values} = parseArgs({
  options: {
    arch: {type: 'string', default: 'dpt-hybrid,dpt-large'},
    dtype: {type: 'string', default: 'fp32,q8'},
    images: {type: 'string', default: '10'},
    sizes: {type: 'string', default: '1920x1080'},
    threads: {type: 'string', default: String(availableParallelism())},
    /** GEMM size M = K = N of the peak measurement. */
    gemm: {type: 'string', default: '2048'},
  },
})
const threads = Number(values.threads)
const side = Number(values.gemm)

/** GFLOP/s of repeated runs of a one-MatMul graph: best and median of 20 after 3 warm-ups. */
async function gemmPeak(dtype: 'fp32' | 'int8'): Promise<{best: number; median: number}> {
  const file = ensureMatmulModel(dtype, side, side, side)
  const session = await ort.InferenceSession.create(
    file,
    sessionOptions({provider: 'cpu', threads, graphOptimizationLevel: 'all', memArena: true, memPattern: true, spin: false}),
  )
  try {
    const input =
      dtype === 'fp32'
        ? new ort.Tensor(
            'float32',
            Float32Array.from({length: side * side}, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5),
            [side, side],
          )
        : new ort.Tensor(
            'uint8',
            Uint8Array.from({length: side * side}, (_, i) => (i * 7919) % 251),
            [side, side],
          )
    const ms: number[] = []
    for (let i = 0; i < 23; i++) {
      const t0 = performance.now()
      const out = await session.run({A: input})
      if (i >= 3) ms.push(performance.now() - t0)
      out['Y']?.dispose()
    }
    const flops = 2 * side ** 3
    return {best: flops / Math.min(...ms) / 1e6, median: flops / percentile(ms, 50) / 1e6}
  } finally {
    await session.release()
  }
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits)

async function main(): Promise<void> {
  console.log(`threads ${threads}; GEMM ${side}×${side}×${side}`)
  const peak = {fp32: await gemmPeak('fp32'), int8: await gemmPeak('int8')}
  console.log(
    `practical peak  fp32 MatMul ${fmt(peak.fp32.best)} GFLOP/s (median ${fmt(peak.fp32.median)}), int8 MatMulInteger ${fmt(peak.int8.best)} GOP/s (median ${fmt(peak.int8.median)})`,
  )
  for (const arch of values.arch.split(',')) {
    const model = ensureBenchModel(arch)
    const rates: Record<string, number> = {}
    for (const dtype of values.dtype.split(',')) {
      let result: BenchResult
      try {
        result = await runDptJson<BenchResult>([
          'bench',
          '--model',
          model,
          '--dtype',
          dtype,
          '--images',
          values.images,
          '--sizes',
          values.sizes,
          '--threads',
          String(threads),
        ])
      } catch (error) {
        console.log(`\n${arch} ${dtype}: not run (${(error as Error).message}); int8/fp16 variants come from tools/export_random.py --dtypes`)
        continue
      }
      rates[dtype] = result.imagesPerSecond
      const reference = dtype === 'q8' ? peak.int8.best : peak.fp32.best
      const sizes = result.networkSizes.map((s) => `${s.width}×${s.height}`).join(', ')
      console.log(`\n${arch} ${dtype} (${result.images} images, network ${sizes}, ${result.gflopsPerImage} G${dtype === 'q8' ? 'OP' : 'FLOP'}s per image)`)
      console.log(`  images/s                 ${fmt(result.imagesPerSecond, 3)}   (p50 ${result.latencyMs.p50} ms)`)
      console.log(
        `  session.run              ${result.stages.inference.meanMs} ms per image, ${fmt(result.achievedGflopsPerSecond.inference)} G/s = ${fmt((result.achievedGflopsPerSecond.inference / reference) * 100)} % of the ${dtype === 'q8' ? 'int8' : 'fp32'} peak`,
      )
      console.log(
        `  end to end               ${fmt(result.achievedGflopsPerSecond.endToEnd)} G/s = ${fmt((result.achievedGflopsPerSecond.endToEnd / reference) * 100)} % of the peak`,
      )
    }
    if (rates['fp32'] !== undefined && rates['q8'] !== undefined)
      console.log(`  int8 / fp32 images/s     ${fmt(rates['q8'] / rates['fp32'], 2)}×  (target ≥ 2× on DPT-Hybrid)`)
  }
}

await main()
