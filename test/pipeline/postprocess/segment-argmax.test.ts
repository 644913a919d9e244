import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {argmaxUpsampled, naiveArgmaxUpsampled, type SegmentUpsampleMode} from '../../../src/pipeline/postprocess/segment-argmax.js'
import {bicubicAt, bicubicPlan, upsampleBicubic} from '../../../src/kernels/upsample-bicubic.js'
import {random} from '../../helpers/random.js'
import {bilinearPlan, upsampleBilinear} from '../../../src/kernels/upsample-bilinear.js'
import {fixture, readNpy} from '../../helpers/fixtures.js'

// Goldens from tools/segment_goldens.py (PyTorch 2.x x86-64 wheel): float32 interpolate, then argmax.
const MODES: readonly SegmentUpsampleMode[] = ['bicubic', 'bilinear']

function load(name: string) {
  const array = readNpy(fixture('segment', `${name}.npy`))
  return {shape: array.shape, data: array.data}
}

function mismatches(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length)
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

/** C maps of bicubic-upsampled noise (what a DPT head produces), `factor` source pixels per noise sample. */
function smoothLogits(rand: () => number, channels: number, width: number, height: number, factor: number, scale: number): Float32Array {
  const lw = Math.max(1, Math.round(width / factor))
  const lh = Math.max(1, Math.round(height / factor))
  const out = new Float32Array(channels * width * height)
  for (let c = 0; c < channels; c++) {
    const low = Float32Array.from({length: lw * lh}, () => (rand() * 2 - 1) * scale)
    out.set(upsampleBicubic(low, lw, lh, width, height), c * width * height)
  }
  return out
}

/** The float32 next to v (direction +1 or −1). */
function nextFloat(v: number, direction: 1 | -1): number {
  const f = new Float32Array([v])
  const bits = new Int32Array(f.buffer)
  if (v === 0) return direction * 2 ** -149
  bits[0]! += v > 0 === direction > 0 ? 1 : -1
  return f[0]!
}

/**
 * Channels built to tie: copies of channel 1 (ties go to the first index), one-ulp neighbours, a channel
 * crossing it inside every window, a constant map at its median, and a clearly lower one.
 */
function nearTieLogits(rand: () => number, width: number, height: number): {logits: Float32Array; channels: number} {
  const plane = width * height
  const base = smoothLogits(rand, 1, width, height, 3, 4)
  const sorted = Float32Array.from(base).sort()
  const maps = [
    base.map((v) => v - 0.25),
    base,
    Float32Array.from(base),
    base.map((v) => nextFloat(v, 1)),
    base.map((v) => nextFloat(v, -1)),
    base.map((v, i) => v + ((i % width) - width / 2) * 3e-7),
    base.map((v) => nextFloat(v, rand() < 0.5 ? 1 : -1)),
    new Float32Array(plane).fill(sorted[plane >> 1]!),
    base.map((v) => nextFloat(nextFloat(v, 1), 1)),
  ]
  const logits = new Float32Array(maps.length * plane)
  maps.forEach((m, c) => {
    logits.set(m, c * plane)
  })
  return {logits, channels: maps.length}
}

function assertMatchesNaive(
  logits: Float32Array,
  channels: number,
  size: readonly [number, number, number, number],
  mode: SegmentUpsampleMode,
  label: string,
): void {
  const [w, h, dw, dh] = size
  const lean = argmaxUpsampled(logits, channels, w, h, dw, dh, mode)
  const naive = naiveArgmaxUpsampled(logits, channels, w, h, dw, dh, mode)
  assert.equal(mismatches(lean, naive), 0, `${label} ${mode} ${w}×${h} → ${dw}×${dh}`)
}

// (width, height, dstWidth, dstHeight): the DPT ratio (672×384 → 1920×1080, / 14), non-integer factors,
// downscales, mixed, identity, 1×1 and 1×N sources, a 1×1 output.
const SIZES: readonly (readonly [number, number, number, number])[] = [
  [48, 27, 137, 77],
  [17, 11, 60, 41],
  [31, 23, 13, 9],
  [40, 9, 23, 30],
  [12, 10, 12, 10],
  [1, 1, 9, 7],
  [9, 1, 40, 5],
  [1, 7, 3, 30],
  [7, 5, 1, 1],
  [64, 40, 130, 5],
]

describe('upsampleBilinear (torch bilinear, align_corners=False)', () => {
  for (const name of ['up', 'down', 'odd', 'small', 'to_one', 'identity']) {
    it(`${name}: bit-exact`, () => {
      const input = load(`bilinear_${name}_in`)
      const golden = load(`bilinear_${name}_out`)
      const [h, w] = input.shape as [number, number]
      const [dh, dw] = golden.shape as [number, number]
      assert.deepEqual(upsampleBilinear(input.data as Float32Array, w, h, dw, dh), golden.data)
    })
  }

  it('small outputs: the channels-last kernel, whose arithmetic depends on the channel (8 vector lanes, then scalar)', () => {
    const input = load('bilinear_lanes_in')
    const golden = load('bilinear_lanes_out')
    const [channels, h, w] = input.shape as [number, number, number]
    const [, dh, dw] = golden.shape as [number, number, number]
    assert.equal(bilinearPlan(w, h, dw, dh).kernel, 'channels-last')
    const x = input.data as Float32Array
    const expected = golden.data as Float32Array
    let laneSensitive = 0
    for (let c = 0; c < channels; c++) {
      const map = x.subarray(c * w * h, (c + 1) * w * h)
      const out = upsampleBilinear(map, w, h, dw, dh, c, channels)
      assert.deepEqual(out, expected.subarray(c * dw * dh, (c + 1) * dw * dh), `channel ${c}`)
      // The other lane's arithmetic differs somewhere: the golden does tell the lanes apart.
      const other = upsampleBilinear(map, w, h, dw, dh, c < 8 ? channels - 1 : 0, channels)
      if (other.some((v, i) => v !== out[i])) laneSensitive++
    }
    assert.ok(laneSensitive > 0)
  })
})

describe('bicubicAt (single pixels, for near ties)', () => {
  it('equals the row-streamed upsample at every pixel, on a map with negative values and clamped taps', () => {
    const x = smoothLogits(random(8), 1, 13, 9, 2, 20)
    for (const [dw, dh] of [
      [50, 37],
      [5, 4],
      [13, 9],
    ] as const) {
      const plan = bicubicPlan(13, 9, dw, dh)
      const full = upsampleBicubic(x, 13, 9, dw, dh)
      for (let y = 0; y < dh; y++) for (let i = 0; i < dw; i++) assert.equal(bicubicAt(plan, x, 0, i, y), full[y * dw + i])
    }
  })
})

describe('argmaxUpsampled', () => {
  const cases = ['bicubic_smooth', 'bicubic_ties', 'bicubic_down', 'bicubic_row', 'bilinear_smooth', 'bilinear_ties', 'bilinear_down', 'bilinear_lanes']
  for (const name of cases) {
    it(`${name}: the labels of torch's interpolate + argmax, bit for bit`, () => {
      const logits = load(`${name}_logits`)
      const labels = load(`${name}_labels`)
      const [channels, h, w] = logits.shape as [number, number, number]
      const [dh, dw] = labels.shape as [number, number]
      const mode = name.split('_')[0] as SegmentUpsampleMode
      const x = logits.data as Float32Array
      assert.equal(mismatches(argmaxUpsampled(x, channels, w, h, dw, dh, mode), labels.data as Uint8Array), 0, 'lean')
      assert.equal(mismatches(naiveArgmaxUpsampled(x, channels, w, h, dw, dh, mode), labels.data as Uint8Array), 0, 'naive')
    })
  }

  for (const mode of MODES) {
    it(`${mode}: equals the full upsample + argmax on smooth random logits`, () => {
      const rand = random(mode === 'bicubic' ? 1 : 2)
      for (const size of SIZES) {
        const channels = size[0] === 48 ? 150 : 12
        assertMatchesNaive(smoothLogits(rand, channels, size[0], size[1], 6, 8), channels, size, mode, 'smooth')
      }
    })

    it(`${mode}: equals it on near ties (copies, 1-ulp neighbours, crossings, constant maps)`, () => {
      const rand = random(mode === 'bicubic' ? 3 : 4)
      for (const size of SIZES) {
        const {logits, channels} = nearTieLogits(rand, size[0], size[1])
        assertMatchesNaive(logits, channels, size, mode, 'near ties')
      }
    })

    it(`${mode}: equals it on tiny, huge and signed-zero values`, () => {
      const rand = random(5)
      for (const scale of [1e-41, 1e-30, 1e30]) {
        const x = smoothLogits(rand, 6, 17, 11, 3, 1).map((v) => v * scale)
        assertMatchesNaive(x, 6, [17, 11, 60, 41], mode, `scale ${scale}`)
      }
      assertMatchesNaive(new Float32Array(4 * 6 * 5).fill(-0), 4, [6, 5, 13, 11], mode, 'all −0')
      assertMatchesNaive(new Float32Array(3 * 6 * 5).fill(2.5), 3, [6, 5, 13, 11], mode, 'constant')
    })
  }

  it('exact copies tie everywhere: the first index wins', () => {
    const rand = random(6)
    const one = smoothLogits(rand, 1, 9, 7, 2, 3)
    const logits = new Float32Array(3 * 63)
    logits.set(
      one.map((v) => v - 1),
      0,
    )
    logits.set(one, 63)
    logits.set(one, 126)
    for (const mode of MODES)
      assert.ok(
        argmaxUpsampled(logits, 3, 9, 7, 31, 22, mode).every((l) => l === 1),
        mode,
      )
  })

  it('non-finite logits: a NaN wins (torch.argmax), infinities follow the float arithmetic', () => {
    const rand = random(7)
    for (const [index, value] of [
      [2 * 80 + 33, NaN],
      [80 + 5, Infinity],
      [3 * 80 + 70, -Infinity],
    ] as const) {
      const x = smoothLogits(rand, 4, 10, 8, 3, 2)
      x[index] = value
      for (const mode of MODES) assertMatchesNaive(x, 4, [10, 8, 37, 29], mode, `${value}`)
    }
    // One source pixel, read by every output pixel: the first NaN channel wins.
    for (const mode of MODES) assert.ok(argmaxUpsampled(new Float32Array([5, NaN, NaN]), 3, 1, 1, 4, 3, mode).every((l) => l === 1))
  })

  it('says what is wrong with its arguments', () => {
    const x = new Float32Array(12)
    assert.throws(() => argmaxUpsampled(x.subarray(1), 3, 2, 2, 5, 5, 'bicubic'), /Expected 3×2×2 logits, got 11 values/)
    assert.throws(() => argmaxUpsampled(new Float32Array(256), 256, 1, 1, 5, 5, 'bicubic'), /1 to 255 channels/)
    assert.throws(() => argmaxUpsampled(x, 3, 2, 2, 0, 5, 'bilinear'), /dstWidth to be a positive integer, got 0/)
  })
})
