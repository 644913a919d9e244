/**
 * npm run bench:report [-- --images 2000 --width 683 --height 512 --count 8 --out .bench/report]
 *
 * The HTML evaluation report at ADE20K's scale: generated ADE20K-shaped scenes (150 classes, ADE-like class
 * frequencies, 683×512 by default like most ADEChallengeData2016 validation images) are scored by the real
 * Scorer one at a time, each handed to the report's image sink as `dpt eval --html` would; then the worst and
 * best images' keys, the JSON report and the page are written. `--budget 0` writes every candidate's files at once
 * (and deletes the evicted ones), the sink's path for images too large to hold. Prints scoring time next to the report's own
 * time (image sink + keys + JSON + page), the report folder's size, and the peak RSS with the RSS along the
 * way (flat: nothing per image is kept beyond its record). Asserts nothing.
 */
import {readdir, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {reportJson} from '../src/eval/report/schema.js'
import {writeEvalSite} from '../src/html/eval/eval-page.js'
import {EvalImagesSink} from '../src/html/eval/images-sink.js'
import {ADE20K_CLASSES, ADE20K_PALETTE} from '../src/pipeline/render/ade20k.js'
import {ADE_PROTOCOL, scoreSynthetic, segmentScene} from '../test/helpers/synthetic-eval.js'
import {rss} from './lib/memory.js'

const {values} = parseArgs({
  options: {
    images: {type: 'string', default: '2000'},
    width: {type: 'string', default: '683'},
    height: {type: 'string', default: '512'},
    count: {type: 'string', default: '8'},
    out: {type: 'string', default: '.bench/report'},
    /** MiB of candidates held in memory (EvalImagesSink's memoryBudget); 0 writes every candidate at once. */
    budget: {type: 'string', default: '256'},
  },
})
const images = Number(values.images)
const [width, height] = [Number(values.width), Number(values.height)]
const site = values.out

async function folderBytes(dir: string): Promise<{bytes: number; files: number}> {
  let bytes = 0
  let files = 0
  for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile()) continue
    bytes += (await stat(join(entry.parentPath, entry.name))).size
    files++
  }
  return {bytes, files}
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`

await rm(site, {recursive: true, force: true})
const sink = new EvalImagesSink({
  siteDir: site,
  protocol: ADE_PROTOCOL,
  count: Number(values.count),
  classNames: ADE20K_CLASSES,
  palette: ADE20K_PALETTE,
  memoryBudget: Number(values.budget) * 2 ** 20,
})
const along: string[] = []
let done = 0
const run = await scoreSynthetic(
  'segment',
  Array.from({length: images}, (_, k) => k + 1),
  (seed) => segmentScene(seed, width, height),
  site,
  async (image, scene) => {
    await sink.offer(image, scene.rgb)
    if (++done % Math.max(1, Math.floor(images / 4)) === 0) along.push(mb(rss().now))
  },
)
let t = performance.now()
await sink.finish(run.report)
const finish = performance.now() - t
t = performance.now()
const json = reportJson(run.report)
await writeFile(join(site, 'report.json'), json)
const jsonMs = performance.now() - t
t = performance.now()
await writeEvalSite(site, {report: run.report})
const page = performance.now() - t
const size = await folderBytes(site)
const reportMs = run.ms.sink + finish + jsonMs + page

console.log(`${images} generated ADE20K-shaped images, ${width}×${height}, ${run.report.counts.scored} scored; worst and best ${values.count} kept`)
console.log(`scoring (Scorer, analysis included):   ${(run.ms.score / 1000).toFixed(2)} s  (${(run.ms.score / images).toFixed(1)} ms/image)`)
console.log(`report:                                ${(reportMs / 1000).toFixed(2)} s`)
console.log(`  image sink, during scoring:          ${(run.ms.sink / 1000).toFixed(2)} s  (${sink.holds} candidates held in memory for a while)`)
console.log(`  panels of the kept + keys:           ${(finish / 1000).toFixed(2)} s  (${sink.writes} images written in all, ${2 * Number(values.count)} kept)`)
console.log(`  JSON report:                         ${(jsonMs / 1000).toFixed(2)} s  (${mb(json.length)})`)
console.log(`  page:                                ${(page / 1000).toFixed(2)} s`)
console.log(`(generating the scenes, not counted:   ${(run.ms.generate / 1000).toFixed(2)} s)`)
console.log(`report folder: ${mb(size.bytes)} in ${size.files} files (${site})`)
console.log(`RSS at 25/50/75/100 % of the images: ${along.join(', ')}; peak ${mb(rss().peak)}`)
