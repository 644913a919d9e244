/**
 * npm run bench:deflate [-- --images 8 --rounds 5 --levels 1 --sets hybrid,smooth,upsampled]
 *
 * The 16-bit depth PNG's deflate, on the rows the PNG compresses (Sub-filtered big-endian, as png16Rows makes
 * them): deflate.c (today's WebAssembly path), libdeflate built to WebAssembly at each level
 * (tools/build-libdeflate-wasm.sh) and Node's zlib at level 1 with Z_RLE (the TypeScript path), one process,
 * on the main thread each. Every stream is checked first: Node's zlib inflates it back to the rows, and its PNG
 * (png16File) decodes with sharp to the map's pixels. Then each round times every coder on every image, the
 * coders' order rotating from image to image and round to round, so a machine whose speed drifts weighs on all.
 * Levels 2 to 4 (--levels 1,2,3,4) took 8.6 to 10 times deflate.c's CPU and were larger than level 1 on the
 * model's and the float-smooth maps (smaller only on 8-bit steps), so only level 1 runs by default
 * (tools/libdeflate/README.md has the figures).
 * Prints, per data set: CPU ms per image (median over rounds of the round's mean, the rounds' range, and the
 * median of the per-round ratio to deflate.c), the same for the wall clock, and MB per image. Asserts nothing.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import zlib from 'node:zlib'
import {createHash} from 'node:crypto'
import sharp from 'sharp'
import {png16File} from '../src/formats/png16.js'
import {coders, type Coder} from './lib/deflate-coders.js'
import {DATA_SET_NOTES, DATA_SETS, loadRows, type DataSet, type DepthRows} from './lib/deflate-data.js'
import {ensurePhotos} from './lib/photos.js'

const {values} = parseArgs({
  options: {
    images: {type: 'string', default: '8'},
    rounds: {type: 'string', default: '5'},
    levels: {type: 'string', default: '1'},
    sets: {type: 'string', default: DATA_SETS.join(',')},
  },
})

function positive(name: string, text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`)
  return n
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Inflates to the rows, and the PNG decodes to the map's pixels; returns the stream's size. */
async function check(coder: Coder, image: DepthRows): Promise<number> {
  coder.load(image.rows)
  coder.compress()
  const stream = coder.output()
  const label = `${coder.name} on ${image.name}`
  if (!zlib.inflateSync(stream).equals(image.rows)) throw new Error(`${label}: does not inflate to the rows`)
  const png = Buffer.concat(png16File(image.width, image.height, [stream]))
  const pixels = await sharp(png).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer()
  if (createHash('sha256').update(pixels).digest('hex') !== image.pixelsSha256) throw new Error(`${label}: the PNG's pixels differ`)
  return stream.length
}

interface Timing {
  cpu: number
  wall: number
}

/**
 * The process's CPU time (user + system) and the wall clock for one call, in ms. The call runs on this thread
 * and nothing else in the process works meanwhile, so the CPU time is the coder's, and unlike the wall clock it
 * does not count the time other processes on a busy machine take the core away.
 */
function time(coder: Coder, image: DepthRows): Timing {
  coder.load(image.rows)
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  coder.compress()
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  const used = process.cpuUsage(cpu)
  return {cpu: (used.user + used.system) / 1e3, wall}
}

async function bench(set: DataSet, images: DepthRows[], all: Coder[], rounds: number): Promise<void> {
  const pixels = images.reduce((s, i) => s + i.width * i.height, 0) / images.length
  const rowBytes = images.reduce((s, i) => s + i.rows.length, 0) / images.length
  console.log(`\n${set}: ${DATA_SET_NOTES[set]}`)
  console.log(`${images.length} images, ${(pixels / 1e6).toFixed(2)} MP and ${(rowBytes / 1e6).toFixed(2)} MB of rows per image on average`)
  const bytes = new Map<Coder, number>(all.map((c) => [c, 0]))
  // Also the warm-up: every coder has run on every image (V8 tiers hot WebAssembly up) before anything is timed.
  for (const image of images) for (const c of all) bytes.set(c, bytes.get(c)! + (await check(c, image)))
  const cpu = new Map<Coder, number[]>(all.map((c) => [c, []]))
  const wall = new Map<Coder, number[]>(all.map((c) => [c, []]))
  for (let r = 0; r < rounds; r++) {
    const sums = new Map<Coder, Timing>(all.map((c) => [c, {cpu: 0, wall: 0}]))
    images.forEach((image, i) => {
      for (let k = 0; k < all.length; k++) {
        const c = all[(k + r + i) % all.length]!
        const t = time(c, image)
        sums.get(c)!.cpu += t.cpu
        sums.get(c)!.wall += t.wall
      }
    })
    for (const c of all) {
      cpu.get(c)!.push(sums.get(c)!.cpu / images.length)
      wall.get(c)!.push(sums.get(c)!.wall / images.length)
    }
  }
  const base = all[0]!
  console.log(
    [
      'coder'.padEnd(14),
      'CPU ms/image',
      'range'.padStart(13),
      '×CPU'.padStart(5),
      'wall ms'.padStart(8),
      '×wall'.padStart(5),
      'MB/image',
      '×size'.padStart(7),
    ].join(' '),
  )
  for (const c of all) {
    const [ms, walls] = [cpu.get(c)!, wall.get(c)!]
    // Per-round ratios: both coders ran in the same round, interleaved, so the machine's drift cancels.
    const ratio = (of: Map<Coder, number[]>): number => median(of.get(c)!.map((m, r) => m / of.get(base)![r]!))
    const range = `${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)}`
    const mb = bytes.get(c)! / images.length / 1e6
    console.log(
      [
        c.name.padEnd(14),
        median(ms).toFixed(1).padStart(12),
        range.padStart(13),
        ratio(cpu).toFixed(2).padStart(5),
        median(walls).toFixed(1).padStart(8),
        ratio(wall).toFixed(2).padStart(5),
        mb.toFixed(3).padStart(8),
        (bytes.get(c)! / bytes.get(base)!).toFixed(4).padStart(7),
      ].join(' '),
    )
  }
}

async function main(): Promise<void> {
  const count = positive('images', values.images)
  const rounds = positive('rounds', values.rounds)
  const levels = values.levels === '' ? [] : values.levels.split(',').map((l) => positive('levels', l))
  const sets = values.sets.split(',') as DataSet[]
  for (const set of sets) if (!DATA_SETS.includes(set)) throw new Error(`--sets: expected some of ${DATA_SETS.join(',')}, got ${set}`)
  const photos = await ensurePhotos(count)
  const files = readdirSync(photos)
    .sort()
    .map((f) => join(photos, f))
  const all = coders(levels)
  console.log(
    `${count} photos (${photos}), ${rounds} rounds; each coder on the main thread, one process; CPU ms: the process's user + system time during the call (the range is over rounds)`,
  )
  for (const set of sets) await bench(set, await loadRows(set, photos, files), all, rounds)
}

await main()
