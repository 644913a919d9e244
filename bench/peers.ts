/**
 * npm run bench:peers [-- --arch dpt-hybrid --images 30 --dtype fp32,q8 --threads 2 --peers dpt,transformers.js,pytorch --json out.json]
 *
 * dpt against its peers, side by side, on one full-size random-weight model and the same 1920×1080 JPEGs:
 * `dpt depth` end to end (and bare session.run on the same tensors), the transformers.js depth-estimation
 * pipeline (installed into the bench cache, same onnxruntime-node, local folder, no network) and the isl-org
 * PyTorch loop on the same weights (tools/peer_torch.py), all with the same intra-op threads and the same network
 * input sizes (keep aspect, minimal, ×32: 1920×1080 → 672×384). Prints images/s and the ratios issue 6 sets
 * targets for. dpt and bare session.run time every image including the first; transformers.js and PyTorch
 * are timed after a one-image warm-up. Prints figures; asserts nothing.
 */
import {readdirSync, existsSync, writeFileSync} from 'node:fs'
import {availableParallelism, cpus} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {VARIANT_FILES} from '../src/model/locate.js'
import {bareSessionRun} from './lib/bare.js'
import {runDptDepth} from './lib/dpt-cli.js'
import {ensureBenchModel} from './lib/models.js'
import {renderRatio, renderRows, sameWork, type PeerName, type PeerRow} from './lib/peers-report.js'
import {ensurePhotos} from './lib/photos.js'
import {runTorchPeer} from './lib/torch-peer.js'
import {ensureTransformersJs, peerModelFolder, runTransformersJs} from './lib/transformers-js.js'

type Dtype = 'fp32' | 'q8'
const PEERS = ['dpt', 'transformers.js', 'pytorch'] as const

const {values} = parseArgs({
  options: {
    arch: {type: 'string', default: 'dpt-hybrid'},
    images: {type: 'string', default: '30'},
    dtype: {type: 'string', default: 'fp32,q8'},
    threads: {type: 'string', default: String(availableParallelism())},
    peers: {type: 'string', default: PEERS.join(',')},
    json: {type: 'string'},
  },
})

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((v) => v.trim())
  const bad = items.filter((v) => !allowed.includes(v as T))
  if (bad.length > 0) throw new Error(`Expected --${flag} to be a comma list of ${allowed.join(', ')}, got \`${value}\``)
  return allowed.filter((a) => items.includes(a))
}

const sizesOf = (records: readonly {networkSize: {width: number; height: number}}[]): Record<string, number> => {
  const sizes: Record<string, number> = {}
  for (const {networkSize: s} of records) sizes[`${s.width}x${s.height}`] = (sizes[`${s.width}x${s.height}`] ?? 0) + 1
  return sizes
}
const rate = (ms: readonly number[]): number => (ms.length / ms.reduce((a, b) => a + b, 0)) * 1000

async function main(): Promise<void> {
  const arch = values.arch
  const images = Number(values.images)
  const threads = Number(values.threads)
  const peers = list('peers', values.peers, PEERS)
  let dtypes = list<Dtype>('dtype', values.dtype, ['fp32', 'q8'])
  const photos = await ensurePhotos(images, [[1920, 1080]])
  const files = readdirSync(photos)
    .sort()
    .map((f) => join(photos, f))
  const model = ensureBenchModel(arch)
  const q8Path = join(model, 'onnx', VARIANT_FILES.q8)
  if (dtypes.includes('q8') && !existsSync(q8Path)) {
    console.log(
      `q8 rows skipped: ${q8Path} does not exist. Make it from onnx/model.onnx with the exporter's q8 variant ` +
        '(tools/dpt_tools/variants.py write_q8: onnxruntime quantize_dynamic, MatMul/Gemm, QInt8 weights), then rerun.',
    )
    dtypes = dtypes.filter((d) => d !== 'q8')
  }
  console.log(
    `${arch}: ${images} 1920×1080 JPEGs in ${photos}; ${threads} intra-op threads each; ${cpus()[0]?.model ?? 'cpu'} (${availableParallelism()} cores)`,
  )

  const rows: PeerRow[] = []
  const raw: Record<string, unknown> = {arch, images, threads, photos}
  const tjs = peers.includes('transformers.js') ? ensureTransformersJs() : undefined
  const localModelPath = tjs === undefined ? undefined : peerModelFolder(model, arch)
  for (const dtype of dtypes) {
    if (peers.includes('dpt')) {
      console.error(`dpt depth --dtype ${dtype}…`)
      const run = await runDptDepth(photos, model, {workers: '1', threads: String(threads), args: ['--dtype', dtype]})
      raw[`dpt-${dtype}`] = {timing: run.timing, counts: run.counts}
      rows.push({
        peer: 'dpt',
        dtype,
        imagesPerSecond: run.timing.imagesPerSecond,
        inferenceImagesPerSecond: rate(run.images.map((i) => i.ms.infer)),
        networkSizes: sizesOf(run.images),
      })
      console.error(`bare session.run --dtype ${dtype}…`)
      const bareMs = await bareSessionRun(
        model,
        files,
        {provider: 'cpu', threads, graphOptimizationLevel: 'all', memArena: true, memPattern: true, spin: false},
        dtype,
      )
      raw[`bare-${dtype}`] = {runMs: bareMs}
      rows.push({peer: 'bare session.run', dtype, imagesPerSecond: rate(bareMs), networkSizes: sizesOf(run.images), note: "dpt's tensors"})
    }
    if (tjs !== undefined && localModelPath !== undefined) {
      console.error(`transformers.js ${tjs.version} dtype ${dtype}…`)
      const run = await runTransformersJs(tjs, localModelPath, arch, files, {dtype, threads})
      raw[`transformers.js-${dtype}`] = run
      const runTotal = run.runMs.reduce((a, b) => a + b, 0)
      const around = (run.wallMs - runTotal) / run.runMs.length
      rows.push({
        peer: 'transformers.js',
        dtype,
        imagesPerSecond: run.imagesPerSecond,
        inferenceImagesPerSecond: rate(run.runMs),
        networkSizes: run.networkSizes,
        // The figure: ~350 ms per image (≈ 15 %) spent around session.run, serially.
        note: `${around.toFixed(0)} ms/image around session.run, ${((1 - runTotal / run.wallMs) * 100).toFixed(1)} % of its wall`,
      })
    }
  }
  if (peers.includes('pytorch')) {
    console.error('PyTorch (tools/peer_torch.py)…')
    const run = await runTorchPeer(arch, model, photos, threads)
    raw['pytorch-fp32'] = run
    const check = run.onnxCheck
    rows.push({
      peer: 'PyTorch',
      dtype: 'fp32',
      imagesPerSecond: run.imagesPerSecond,
      inferenceImagesPerSecond: rate(run.forwardMs),
      networkSizes: run.networkSizes,
      note: check === null ? `torch ${run.torch}` : `torch ${run.torch}; max |torch − onnx| ${check.maxAbsDiff.toExponential(2)} on ${check.image}`,
    })
  }

  const row = (peer: PeerName, dtype: Dtype): PeerRow | undefined => rows.find((r) => r.peer === peer && r.dtype === dtype)
  console.log(`\n${arch}, ${images} images, images/s end to end (inference only: session.run or forward alone)`)
  for (const line of renderRows(rows)) console.log(line)
  console.log(
    sameWork(rows)
      ? '  network input sizes: identical for every peer'
      : '  WARNING: the peers fed different network input sizes; the ratios compare unequal work',
  )
  if (tjs !== undefined) console.log(`  transformers.js ${tjs.version} on onnxruntime-node ${tjs.onnxruntime} (dpt's version)`)
  console.log('\nratios (images/s)')
  const ratios = [
    {label: 'dpt fp32 / transformers.js fp32', numerator: row('dpt', 'fp32'), denominator: row('transformers.js', 'fp32'), target: 1.12},
    {label: 'dpt fp32 / bare session.run fp32', numerator: row('dpt', 'fp32'), denominator: row('bare session.run', 'fp32'), target: 0.97, percent: true},
    {label: 'dpt fp32 / PyTorch fp32', numerator: row('dpt', 'fp32'), denominator: row('PyTorch', 'fp32'), target: 1.4},
    {label: 'dpt q8 / transformers.js fp32', numerator: row('dpt', 'q8'), denominator: row('transformers.js', 'fp32'), target: 2},
    {label: 'dpt q8 / PyTorch fp32', numerator: row('dpt', 'q8'), denominator: row('PyTorch', 'fp32'), target: 2},
    {label: 'dpt q8 / bare session.run q8', numerator: row('dpt', 'q8'), denominator: row('bare session.run', 'q8'), percent: true},
    {label: 'dpt q8 / transformers.js q8', numerator: row('dpt', 'q8'), denominator: row('transformers.js', 'q8')},
  ]
  for (const ratio of ratios) {
    if (ratio.target !== undefined || (ratio.numerator !== undefined && ratio.denominator !== undefined)) console.log(renderRatio(ratio))
  }
  if (values.json !== undefined) {
    writeFileSync(values.json, JSON.stringify({rows, raw}, null, 2) + '\n')
    console.log(`\nraw figures: ${values.json}`)
  }
}

await main()
