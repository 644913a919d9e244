/**
 * npm run bench:depth [-- --arch dpt-hybrid,dpt-large --images 50 --rss-images 500 --rss-arch dpt-hybrid --workers 1 --threads 2]
 *
 * End-to-end `dpt depth` throughput against bare session.run on the same tensors with the same threads, on
 * full-size random-weight models and mixed-size 1080p-and-larger JPEGs; latency percentiles and peak RSS, and
 * peak RSS of a longer run to show memory stays flat. Prints figures; asserts nothing.
 */
import {readdirSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import type {RunResult} from '../src/pipeline/run.js'
import {percentile} from '../src/pipeline/stats.js'
import {bareSessionRun} from './lib/bare.js'
import {runDptDepth} from './lib/dpt-cli.js'
import {ensureBenchModel} from './lib/models.js'
import {ensurePhotos} from './lib/photos.js'

const {values} = parseArgs({
  options: {
    arch: {type: 'string', default: 'dpt-hybrid,dpt-large'},
    images: {type: 'string', default: '50'},
    'rss-images': {type: 'string', default: '500'},
    /** The long run for the memory check uses this model only (DPT-Large at 500 images takes 40 min on 2 cores). */
    'rss-arch': {type: 'string', default: 'dpt-hybrid'},
    workers: {type: 'string', default: '1'},
    threads: {type: 'string', default: String(availableParallelism())},
    /** Extra dpt flags for both runs, e.g. "--pipeline-nice 0". */
    'dpt-args': {type: 'string', default: ''},
  },
})
const extraArgs = values['dpt-args'].split(' ').filter((a) => a !== '')

const runDepth = (photos: string, model: string, workers: string, threads: string): Promise<RunResult> =>
  runDptDepth(photos, model, {workers, threads, args: extraArgs})

const fmt = (n: number, digits = 3): string => n.toFixed(digits)

async function main(): Promise<void> {
  const images = Number(values.images)
  const rssImages = Number(values['rss-images'])
  const photos = await ensurePhotos(images)
  const files = readdirSync(photos).sort().map((f) => join(photos, f))
  console.log(`photos: ${images} JPEGs in ${photos} (1080p to 4032×3024); workers ${values.workers} × threads ${values.threads}`)
  for (const arch of values.arch.split(',')) {
    const model = ensureBenchModel(arch)
    const e2e = await runDepth(photos, model, values.workers, values.threads)
    const bareMs = await bareSessionRun(model, files, {
      provider: 'cpu',
      threads: Number(values.threads),
      graphOptimizationLevel: 'all',
      memArena: true,
      memPattern: true,
      spin: false,
    })
    const bareRate = (bareMs.length / bareMs.reduce((a, b) => a + b, 0)) * 1000 * Number(values.workers)
    const e2eRate = e2e.timing.imagesPerSecond
    console.log(`\n${arch} (${images} images)`)
    console.log(`  end to end        ${fmt(e2eRate)} images/s  (wall ${fmt(e2e.timing.wallMs / 1000, 1)} s, model load ${fmt(e2e.timing.modelLoadMs / 1000, 1)} s)`)
    console.log(`  bare session.run  ${fmt(bareRate)} images/s  (median run ${fmt(percentile(bareMs, 50), 0)} ms)`)
    console.log(`  ratio             ${fmt((e2eRate / bareRate) * 100, 1)} %  (target ≥ 95 %)`)
    console.log(`  latency           p50 ${fmt(e2e.timing.latencyMs.p50, 0)} ms, p95 ${fmt(e2e.timing.latencyMs.p95, 0)} ms`)
    const stage = e2e.timing.stageMs
    console.log(
      `  stages p50 (ms)   read ${stage.read.p50}, decode ${stage.decode.p50}, preprocess ${stage.preprocess.p50}, queue ${stage.queue.p50}, ` +
        `infer ${stage.infer.p50}, postprocess ${stage.postprocess.p50}, write ${stage.write.p50}`,
    )
    console.log(`  peak RSS          ${e2e.timing.peakRssMb} MiB`)
    if (rssImages > 0 && arch === values['rss-arch']) {
      const long = await runDepth(await ensurePhotos(rssImages), model, values.workers, values.threads)
      const growth = (long.timing.peakRssMb / e2e.timing.peakRssMb - 1) * 100
      console.log(`  peak RSS, ${rssImages} images  ${long.timing.peakRssMb} MiB (${growth >= 0 ? '+' : ''}${fmt(growth, 1)} % vs ${images}; target within 10 %)`)
    }
  }
}

await main()
