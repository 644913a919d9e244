/**
 * npm run bench:profile [-- --arch dpt-hybrid --dtype fp32,q8 --width 672 --height 384 --threads 2 --top 12 --model DIR]
 *
 * Where inference time goes: one warm-up and one profiled session.run of a full-size random-weight model with
 * the pipeline's own session options (optimisation `all`, so the kernels that really run: fused, NCHWc
 * re-laid-out, quantised), time summed per operator type, with its share and the FLOPs of the counted ones.
 * Prints figures; asserts nothing.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import * as ort from 'onnxruntime-node'
import {VARIANT_FILES, type Dtype} from '../src/model/locate.js'
import {sessionOptions} from '../src/pipeline/infer/session-options.js'
import {ensureBenchModel} from './lib/models.js'

const {values} = parseArgs({
  options: {
    arch: {type: 'string', default: 'dpt-hybrid'},
    dtype: {type: 'string', default: 'fp32,q8'},
    width: {type: 'string', default: '672'},
    height: {type: 'string', default: '384'},
    threads: {type: 'string', default: String(availableParallelism())},
    top: {type: 'string', default: '12'},
    /** A model folder to profile instead of the bench cache's --arch (e.g. another quantisation of it). */
    model: {type: 'string'},
  },
})

interface Event {
  readonly cat: string
  readonly name: string
  readonly dur: number
  readonly args?: {readonly op_name?: string}
}

async function profile(onnx: string, width: number, height: number): Promise<Map<string, {us: number; nodes: number}>> {
  const dir = mkdtempSync(join(tmpdir(), 'dpt-profile-'))
  try {
    const options = sessionOptions({
      provider: 'cpu',
      threads: Number(values.threads),
      graphOptimizationLevel: 'all',
      memArena: true,
      memPattern: true,
      spin: false,
    })
    const input = new ort.Tensor('float32', new Float32Array(3 * width * height).fill(0.1), [1, 3, height, width])
    // Warm-up run without the profiler (first-run allocations), then a fresh profiled session's second run.
    const session = await ort.InferenceSession.create(onnx, {...options, enableProfiling: true, profileFilePrefix: join(dir, 'p')})
    try {
      for (let i = 0; i < 2; i++) for (const t of Object.values(await session.run({pixel_values: input}))) t.dispose()
    } finally {
      session.endProfiling()
      await session.release()
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.json'))!
    const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Event[]
    // The second model_run's node events only.
    const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run')
    const last = runs.at(-1) as (Event & {ts: number}) | undefined
    const byOp = new Map<string, {us: number; nodes: number}>()
    for (const e of events as (Event & {ts: number})[]) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || last === undefined || e.ts < last.ts) continue
      const op = e.args?.op_name ?? '?'
      const entry = byOp.get(op) ?? {us: 0, nodes: 0}
      entry.us += e.dur
      entry.nodes++
      byOp.set(op, entry)
    }
    return byOp
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

async function main(): Promise<void> {
  const width = Number(values.width)
  const height = Number(values.height)
  for (const arch of values.arch.split(',')) {
    const model = values.model ?? ensureBenchModel(arch)
    for (const dtype of values.dtype.split(',') as Dtype[]) {
      const byOp = await profile(join(model, 'onnx', VARIANT_FILES[dtype]), width, height)
      const total = [...byOp.values()].reduce((a, b) => a + b.us, 0)
      console.log(`\n${arch} ${dtype} at ${width}×${height}, ${values.threads} threads: ${(total / 1000).toFixed(0)} ms in kernels`)
      const rows = [...byOp.entries()].sort((a, b) => b[1].us - a[1].us).slice(0, Number(values.top))
      for (const [op, {us, nodes}] of rows)
        console.log(`  ${op.padEnd(28)} ${(us / 1000).toFixed(1).padStart(8)} ms  ${((us / total) * 100).toFixed(1).padStart(5)} %  (${nodes} nodes)`)
    }
  }
}

await main()
