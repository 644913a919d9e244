/**
 * node dist/bench/segment-post.js [-- --modes bicubic,bilinear --kinds noise,scene,ties --runs 3 --skip-naive]
 *
 * The segmentation post-processing (upsample 150 logits 672×384 → 1920×1080, argmax) on one core: the
 * plain per-channel upsample + running argmax against the pruned one (`argmaxUpsampled`). Each measurement
 * runs in a fresh child process so that its memory figures are its own: the peak RSS during the call above
 * the RSS with the logits loaded (Linux: VmHWM after resetting it through /proc/self/clear_refs; elsewhere
 * getrusage maxrss, which also remembers the logits' generation), and the array buffers still held after
 * a garbage collection (the label map).
 * Logit kinds, deterministic:
 * - noise: every channel independent bicubic-upsampled noise (16-pixel grain): all 150 classes compete
 *   everywhere, the hard case for pruning.
 * - scene: 12 classes present with strong smooth fields, the others well below (what a trained head gives).
 * - ties:  scene, plus a copy and a one-ulp neighbour of every present class: a near tie at every pixel.
 * Prints figures and a hash of each label map (equal hashes: identical labels); asserts nothing.
 */
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {argmaxUpsampled, naiveArgmaxUpsampled, type SegmentUpsampleMode} from '../src/pipeline/postprocess/segment-argmax.js'
import {BicubicRowStream, bicubicPlan} from '../src/kernels/upsample-bicubic.js'
import {resetPeakRss, rss, settle} from './lib/memory.js'
import {random} from '../test/helpers/random.js'

const CHANNELS = 150
const [WIDTH, HEIGHT, DST_WIDTH, DST_HEIGHT] = [672, 384, 1920, 1080]
const KINDS = ['noise', 'scene', 'ties'] as const
type Kind = (typeof KINDS)[number]

const {values} = parseArgs({
  options: {
    modes: {type: 'string', default: 'bicubic,bilinear'},
    kinds: {type: 'string', default: KINDS.join(',')},
    runs: {type: 'string', default: '3'},
    'skip-naive': {type: 'boolean', default: false},
    child: {type: 'string'},
  },
})

/**
 * A smooth map into out[offset ..]: uniform noise mean ± amplitude on a grid `grain` pixels apart,
 * bicubic-upsampled in place (no full-size temporaries, which would leave RSS slack behind).
 */
function field(rand: () => number, grain: number, mean: number, amplitude: number, out: Float32Array, offset: number): void {
  const lw = Math.round(WIDTH / grain)
  const lh = Math.round(HEIGHT / grain)
  const low = Float32Array.from({length: lw * lh}, () => mean + (rand() * 2 - 1) * amplitude)
  const stream = new BicubicRowStream(bicubicPlan(lw, lh, WIDTH, HEIGHT), low)
  for (let y = 0; y < HEIGHT; y++) stream.row(y, out, offset + y * WIDTH)
}

function logits(kind: Kind): Float32Array {
  const rand = random(20240613)
  const plane = WIDTH * HEIGHT
  const out = new Float32Array(CHANNELS * plane)
  const present = new Set<number>()
  while (present.size < 12) present.add(Math.floor(rand() * CHANNELS))
  for (let c = 0; c < CHANNELS; c++) {
    if (kind === 'noise') field(rand, 16, 0, 5, out, c * plane)
    else if (present.has(c)) field(rand, 24, 2, 10, out, c * plane)
    else field(rand, 16, -8, 3, out, c * plane)
  }
  if (kind === 'ties') {
    const up = new Float32Array(1)
    const bits = new Int32Array(up.buffer)
    let target = 0
    for (const c of present) {
      for (const twin of [0, 1]) {
        while (present.has(target)) target++
        for (let i = 0; i < plane; i++) {
          up[0] = out[c * plane + i]!
          if (twin === 1) bits[0]! += up[0] >= 0 ? 1 : -1 // the next float32 up
          out[target * plane + i] = up[0]!
        }
        target++
      }
    }
  }
  return out
}

/** FNV-1a of the label map. */
function hash(labels: Uint8Array): string {
  let h = 0x811c9dc5
  for (const v of labels) h = Math.imul(h ^ v, 0x01000193)
  return (h >>> 0).toString(16).padStart(8, '0')
}

interface Measurement {
  readonly ms: number[]
  readonly peakRssMb: number
  readonly heldMb: number
  readonly hash: string
}

async function measure(kind: Kind, mode: SegmentUpsampleMode, algorithm: 'naive' | 'lean', runs: number): Promise<Measurement> {
  const x = logits(kind)
  const run = algorithm === 'lean' ? argmaxUpsampled : naiveArgmaxUpsampled
  await settle()
  const buffers = process.memoryUsage().arrayBuffers
  resetPeakRss()
  const before = rss().now
  const start = performance.now()
  const labels = run(x, CHANNELS, WIDTH, HEIGHT, DST_WIDTH, DST_HEIGHT, mode)
  const ms = [performance.now() - start]
  const peakRssMb = (rss().peak - before) / 2 ** 20
  await settle()
  const heldMb = (process.memoryUsage().arrayBuffers - buffers) / 2 ** 20
  for (let i = 1; i < runs; i++) {
    const t = performance.now()
    run(x, CHANNELS, WIDTH, HEIGHT, DST_WIDTH, DST_HEIGHT, mode)
    ms.push(performance.now() - t)
  }
  return {ms, peakRssMb, heldMb, hash: hash(labels)}
}

function main(): void {
  const runs = Number(values.runs)
  const algorithms = values['skip-naive'] ? (['lean'] as const) : (['naive', 'lean'] as const)
  console.log(`${CHANNELS}×${WIDTH}×${HEIGHT} logits → ${DST_WIDTH}×${DST_HEIGHT} labels, one core, each row a fresh process`)
  console.log('kind   mode      algorithm   ms (first, then median)   peak RSS +MiB   held MiB   labels')
  for (const kind of values.kinds.split(',') as Kind[]) {
    for (const mode of values.modes.split(',') as SegmentUpsampleMode[]) {
      for (const algorithm of algorithms) {
        const args = ['--expose-gc', fileURLToPath(import.meta.url), '--child', `${kind}:${mode}:${algorithm}:${algorithm === 'lean' ? runs : 1}`]
        const child = spawnSync(process.execPath, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})
        if (child.status !== 0) throw new Error(`measuring ${kind} ${mode} ${algorithm} failed (exit ${child.status})`)
        const m = JSON.parse(child.stdout) as Measurement
        const sorted = [...m.ms].sort((a, b) => a - b)
        const median = sorted[Math.floor(sorted.length / 2)]!
        const ms = m.ms.length > 1 ? `${m.ms[0]!.toFixed(0)}, ${median.toFixed(0)}` : m.ms[0]!.toFixed(0)
        console.log(
          `${kind.padEnd(6)} ${mode.padEnd(9)} ${algorithm.padEnd(11)} ${ms.padEnd(25)} ${m.peakRssMb.toFixed(1).padStart(13)}   ${m.heldMb.toFixed(1).padStart(8)}   ${m.hash}`,
        )
      }
    }
  }
}

if (values.child === undefined) main()
else {
  const [kind, mode, algorithm, runs] = values.child.split(':') as [Kind, SegmentUpsampleMode, 'naive' | 'lean', string]
  process.stdout.write(JSON.stringify(await measure(kind, mode, algorithm, Number(runs))))
}
