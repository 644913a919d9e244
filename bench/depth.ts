/**
 * npm run bench:depth [-- --arch dpt-hybrid,dpt-large --images 50 --rounds 3 --rss-images 500 --rss-arch dpt-hybrid --workers 1 --threads 2]
 *
 * End-to-end `dpt depth` throughput against bare session.run on the same tensors with the same threads, on
 * full-size random-weight models and mixed-size 1080p-and-larger JPEGs; latency percentiles and peak RSS, and
 * peak RSS of a longer run to show memory stays flat. Prints figures; asserts nothing.
 */
import {readdirSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {percentile} from '../src/pipeline/stats.js'
import {bareSessionRun} from './lib/bare.js'
import {runDptDepth} from './lib/dpt-cli.js'
import {ensureBenchModel} from './lib/models.js'
import {ensurePhotos} from './lib/photos.js'
import {type RunResult} from '../src/pipeline/images.js'

const {values} = parseArgs({
  options: {
    arch: {type: 'string', default: 'dpt-hybrid,dpt-large'},
    images: {type: 'string', default: '50'},
    'rss-images': {type: 'string', default: '500'},
    /** The long run for the memory check uses this model only (DPT-Large at 500 images takes 40 min on 2 cores). */
    'rss-arch': {type: 'string', default: 'dpt-hybrid'},
    workers: {type: 'string', default: '1'},
    threads: {type: 'string', default: String(availableParallelism())},
    /**
     * End-to-end and bare runs alternate this many times (e2e, bare, bare, e2e, …), so that a machine whose
     * speed drifts (shared hosts) weighs on both sides; the ratio is that of the mean rates.
     */
    rounds: {type: 'string', default: '3'},
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
  const rounds = Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`)
  const photos = await ensurePhotos(images)
  const files = readdirSync(photos)
    .sort()
    .map((f) => join(photos, f))
  console.log(`photos: ${images} JPEGs in ${photos} (1080p to 4032×3024); workers ${values.workers} × threads ${values.threads}`)
  for (const arch of values.arch.split(',')) {
    const model = ensureBenchModel(arch)
    const e2eRuns: RunResult[] = []
    const bareRuns: number[][] = []
    const bare = (): Promise<number[]> =>
      bareSessionRun(model, files, {
        provider: 'cpu',
        threads: Number(values.threads),
        graphOptimizationLevel: 'all',
        memArena: true,
        memPattern: true,
        spin: false,
      })
    for (let r = 0; r < rounds; r++) {
      // e2e first in even rounds, bare first in odd ones.
      if (r % 2 === 0) e2eRuns.push(await runDepth(photos, model, values.workers, values.threads))
      bareRuns.push(await bare())
      if (r % 2 === 1) e2eRuns.push(await runDepth(photos, model, values.workers, values.threads))
    }
    const workers = Number(values.workers)
    const bareRates = bareRuns.map((ms) => (ms.length / ms.reduce((a, b) => a + b, 0)) * 1000 * workers)
    const e2eRates = e2eRuns.map((run) => run.timing.imagesPerSecond)
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
    const bareRate = mean(bareRates)
    const e2eRate = mean(e2eRates)
    const e2e = e2eRuns[Math.floor(rounds / 2)]! // latency and stages: one run's, the middle one
    const bareMs = bareRuns.flat()
    console.log(`\n${arch} (${images} images, ${rounds} rounds)`)
    console.log(
      `  end to end        ${fmt(e2eRate)} images/s  (rounds: ${e2eRates.map((x) => fmt(x)).join(', ')}; model load ${fmt(e2e.timing.modelLoadMs / 1000, 1)} s)`,
    )
    console.log(
      `  bare session.run  ${fmt(bareRate)} images/s  (rounds: ${bareRates.map((x) => fmt(x)).join(', ')}; median run ${fmt(percentile(bareMs, 50), 0)} ms)`,
    )
    console.log(
      `  ratio             ${fmt((e2eRate / bareRate) * 100, 1)} %  (target ≥ 95 %; per round ${e2eRates.map((x, i) => fmt((x / bareRates[i]!) * 100, 1)).join(', ')} %)`,
    )
    console.log(`  latency           p50 ${fmt(e2e.timing.latencyMs.p50, 0)} ms, p95 ${fmt(e2e.timing.latencyMs.p95, 0)} ms`)
    const stage = e2e.timing.stageMs
    console.log(
      `  stages p50 (ms)   read ${stage.read.p50}, decode ${stage.decode.p50}, preprocess ${stage.preprocess.p50}, queue ${stage.queue.p50}, ` +
        `infer ${stage.infer.p50}, postprocess ${stage.postprocess.p50}, write ${stage.write.p50}`,
    )
    const peakRss = Math.max(...e2eRuns.map((run) => run.timing.peakRssMb))
    console.log(`  peak RSS          ${peakRss} MiB (highest of the rounds)`)
    if (rssImages > 0 && arch === values['rss-arch']) {
      const long = await runDepth(await ensurePhotos(rssImages), model, values.workers, values.threads)
      const growth = (long.timing.peakRssMb / peakRss - 1) * 100
      console.log(
        `  peak RSS, ${rssImages} images  ${long.timing.peakRssMb} MiB (${growth >= 0 ? '+' : ''}${fmt(growth, 1)} % vs ${images}; target within 10 %)`,
      )
    }
  }
}

await main()
