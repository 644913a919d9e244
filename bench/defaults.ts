/**
 * npm run bench:defaults [-- --arch dpt-hybrid --images 12]
 *
 * The evidence for dpt's default onnxruntime settings: `dpt bench` on the same mixed-size photos with the
 * defaults (1 worker × all cores, graph optimisation `all`, memory pattern and arena on) and with each
 * alternative changed alone. Prints images/s and peak RSS of each, relative to the defaults; asserts nothing.
 */
import {availableParallelism} from 'node:os'
import {parseArgs} from 'node:util'
import type {BenchResult} from '../src/bench/run.js'
import {runDptJson} from './lib/cli.js'
import {ensureBenchModel} from './lib/models.js'
import {ensurePhotos} from './lib/photos.js'

const {values} = parseArgs({
  options: {
    arch: {type: 'string', default: 'dpt-hybrid'},
    images: {type: 'string', default: '12'},
  },
})
const cores = availableParallelism()

const VARIANTS: readonly {name: string; args: string[]}[] = [
  {name: `defaults (1 × ${cores}, all, pattern, arena)`, args: []},
  {name: `${cores} workers × 1 thread`, args: ['--workers', String(cores), '--threads', '1']},
  {name: 'graph optimisation extended', args: ['--graph-optimization', 'extended']},
  {name: 'graph optimisation basic', args: ['--graph-optimization', 'basic']},
  {name: 'no memory pattern', args: ['--no-mem-pattern']},
  {name: 'no memory arena', args: ['--no-mem-arena']},
]

async function main(): Promise<void> {
  const photos = await ensurePhotos(Number(values.images))
  for (const arch of values.arch.split(',')) {
    const model = ensureBenchModel(arch)
    console.log(`\n${arch}, ${values.images} mixed-size photos (${photos})`)
    let base: BenchResult | undefined
    for (const variant of VARIANTS) {
      const result = await runDptJson<BenchResult>(['bench', photos, '--model', model, ...variant.args])
      base ??= result
      const rate = result.imagesPerSecond
      const rss = result.peakRssMb
      console.log(
        `  ${variant.name.padEnd(42)} ${rate.toFixed(3)} images/s (${((rate / base.imagesPerSecond - 1) * 100).toFixed(1).padStart(5)} %)` +
          `  p50 ${result.latencyMs.p50} ms  peak RSS ${rss} MiB (${((rss / base.peakRssMb - 1) * 100).toFixed(1).padStart(5)} %)`,
      )
    }
  }
}

await main()
