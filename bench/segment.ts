/**
 * npm run bench:segment [-- --arch dpt-hybrid-ade --runs 3]
 *
 * Segmentation post-processing against inference on a full-size random-weight DPT-Hybrid ADE20K graph (exported
 * once by tools/export_random.py): a 1920×1080 photo through the real preprocessing, session.run with the
 * pipeline's options on all cores, then the upsample + argmax of its 150 logits to 1920×1080, lean and naive,
 * each in a fresh process so that its peak RSS above the loaded logits is its own. Prints figures.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import * as ort from 'onnxruntime-node'
import {locateModel} from '../src/model/locate.js'
import {decodeImage} from '../src/pipeline/decode.js'
import {argmaxUpsampled, naiveArgmaxUpsampled} from '../src/pipeline/postprocess/segment-argmax.js'
import {prepareInput} from '../src/pipeline/preprocess/prepare.js'
import {sessionOptions} from '../src/pipeline/infer/session-options.js'
import {percentile} from '../src/pipeline/stats.js'
import {ensureBenchModel} from './lib/models.js'
import {resetPeakRss, rss, settle} from './lib/memory.js'
import {ensurePhotos} from './lib/photos.js'
import {kernelBackend} from '../src/kernels/backend.js'

const {values} = parseArgs({
  options: {arch: {type: 'string', default: 'dpt-hybrid-ade'}, runs: {type: 'string', default: '3'}, child: {type: 'string'}},
})

interface Child {
  ms: number
  peakExtraMb: number
  classes: number
}

async function child(spec: string): Promise<Child> {
  const [file, dims, algorithm] = spec.split('|') as [string, string, 'lean' | 'naive']
  const [c, w, h, W, H] = dims.split('x').map(Number) as [number, number, number, number, number]
  const raw = readFileSync(file)
  const logits = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
  await settle()
  resetPeakRss()
  const before = rss().now
  const t = performance.now()
  const labels = (algorithm === 'lean' ? argmaxUpsampled : naiveArgmaxUpsampled)(logits, c, w, h, W, H, 'bicubic')
  const ms = performance.now() - t
  return {ms, peakExtraMb: (rss().peak - before) / 2 ** 20, classes: new Set(labels).size}
}

async function main(): Promise<void> {
  const dir = ensureBenchModel(values.arch)
  const model = locateModel(dir, {dtype: 'fp32'})
  const card = model.card!
  const photos = await ensurePhotos(50)
  const photo = join(
    photos,
    readdirSync(photos).find((f) => f.includes('1920x1080'))!,
  )
  const image = await decodeImage(photo, readFileSync(photo), 1e9, 'high-byte')
  const prepared = prepareInput(image, card.preprocess, kernelBackend(process.env))
  const threads = availableParallelism()
  const session = await ort.InferenceSession.create(
    model.onnxPath,
    sessionOptions({provider: 'cpu', threads, graphOptimizationLevel: 'all', memArena: true, memPattern: true, spin: false}),
  )
  const inferMs: number[] = []
  let logits: ort.Tensor | undefined
  for (let i = 0; i < Number(values.runs); i++) {
    const feeds = {[card.input.name]: new ort.Tensor('float32', prepared.tensor, prepared.dims)}
    const t = performance.now()
    logits = (await session.run(feeds, [card.output.name]))[card.output.name]
    inferMs.push(performance.now() - t)
  }
  const [, c, h, w] = logits!.dims as number[]
  const file = join(tmpdir(), `dpt-bench-logits-${process.pid}.f32`)
  writeFileSync(file, logits!.data as Float32Array)
  await session.release()
  const infer = percentile(inferMs, 50)
  console.log(
    `${values.arch}: ${image.width}×${image.height} photo → network ${prepared.size.width}×${prepared.size.height}, logits ${c}×${h}×${w}, ${threads} threads`,
  )
  console.log(`  inference (median of ${inferMs.length})   ${infer.toFixed(0)} ms`)
  for (const algorithm of ['lean', 'naive'] as const) {
    const spec = `${file}|${c}x${w}x${h}x${image.width}x${image.height}|${algorithm}`
    const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', spec], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    if (run.status !== 0) throw new Error(`${algorithm} post-processing failed`)
    const m = JSON.parse(run.stdout) as Child
    console.log(
      `  post-processing ${algorithm.padEnd(5)}   ${m.ms.toFixed(0)} ms = ${((m.ms / infer) * 100).toFixed(1)} % of inference (target ≤ 15 %), ` +
        `peak extra memory ${m.peakExtraMb.toFixed(0)} MiB (target < 200), ${m.classes} classes present`,
    )
  }
}

if (values.child === undefined) await main()
else process.stdout.write(JSON.stringify(await child(values.child)))
