import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {BicubicRowStream, upsampleBicubic} from '../../src/kernels/upsample-bicubic.js'
import type {PreprocessCard} from '../../src/model/card.js'
import type {DecodedImage} from '../../src/pipeline/decode.js'
import {toNchw, type Triple} from '../../src/pipeline/preprocess/normalize.js'
import {prepareInput} from '../../src/pipeline/preprocess/prepare.js'
import {resizeCubicUnitInto} from '../../src/kernels/resize-cubic.js'
import {kernelBackend} from '../../src/kernels/backend.js'
import {cubicInputKernels} from '../../src/kernels/resize-cubic.wasm.js'
import {upsampleBicubicWasm} from '../../src/kernels/upsample-bicubic.wasm.js'
import {WasmInstance, WasmInstancePool} from '../../src/kernels/wasm/module.js'
import {wasmKernels, type WasmKernels} from '../helpers/wasm.js'
import {KERNELS_SOURCE_SHA256} from '../../src/kernels/wasm/kernels.wasm.js'
import {minMaxFinite, toUint16Reference, toUint8Reference} from '../../src/kernels/depth-scale.js'
import {colormapReferenceWasm, toUint16ReferenceWasm} from '../../src/kernels/depth-scale.wasm.js'
import {applyColormap, COLORMAPS, colormapLut} from '../../src/pipeline/render/colormap.js'
import {encodePng16, encodePng16Rows} from '../../src/formats/png16.js'
import {fixture, readNpy, repoRoot} from '../helpers/fixtures.js'
import {random} from '../helpers/random.js'

// The WebAssembly kernels must give the bits of the TypeScript path (itself checked against PyTorch goldens in
// postprocess/upsample.test.ts and against the reference writers in write/). Random float32 maps upsampled by
// small ratios hit the half-way cases of the double-precision fused multiply-add often (the weights have few
// bits), so the exact fallback is exercised, not only the vector path.

const kernels = (): WasmKernels => wasmKernels()

function randomMap(seed: number, n: number, scale = 100): Float32Array {
  const next = random(seed)
  return Float32Array.from({length: n}, () => (next() - 0.3) * scale)
}

function firstDifference(a: Float32Array, b: Float32Array): string {
  assert.equal(a.length, b.length)
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) return `index ${i}: ${a[i]} against ${b[i]}`
  }
  return 'none'
}

describe('WebAssembly kernels: build', () => {
  it('the embedded binary was built from the committed kernels.c and deflate.c (run tools/build-wasm.sh after editing them)', () => {
    const hash = createHash('sha256')
    for (const source of ['kernels.c', 'deflate.c']) hash.update(readFileSync(join(repoRoot, 'src', 'kernels', 'wasm', source)))
    assert.equal(hash.digest('hex'), KERNELS_SOURCE_SHA256)
  })
})

describe('WebAssembly upsampleBicubic', () => {
  it('matches the PyTorch goldens bit for bit', () => {
    const k = kernels()
    for (const name of ['up', 'down', 'dpt_ratio', 'row', 'mixed', 'logits', 'identity']) {
      const input = readNpy(fixture('kernels', `torch_bicubic_${name}_in.npy`))
      const golden = readNpy(fixture('kernels', `torch_bicubic_${name}_out.npy`))
      const [height, width] = input.shape as [number, number]
      const [dstHeight, dstWidth] = golden.shape as [number, number]
      const {depth} = k.upsampleBicubic(input.data as Float32Array, width, height, dstWidth, dstHeight)
      assert.equal(firstDifference(depth, golden.data as Float32Array), 'none', name)
    }
  })

  const sizes: [number, number, number, number][] = [
    [1, 1, 5, 3],
    [2, 3, 4, 6],
    [3, 2, 13, 7],
    [16, 12, 32, 24],
    [16, 12, 37, 29],
    [24, 18, 101, 77],
    [40, 30, 33, 25],
    [9, 7, 9, 7],
    [384, 288, 1023, 767],
  ]
  for (const [w, h, dw, dh] of sizes) {
    it(`${w}×${h} → ${dw}×${dh}: the TypeScript upsample's bits and its finite min/max`, () => {
      const src = randomMap(w * 1000 + dw, w * h)
      const {depth, range} = kernels().upsampleBicubic(src, w, h, dw, dh)
      const expected = upsampleBicubic(src, w, h, dw, dh)
      assert.equal(firstDifference(depth, expected), 'none')
      assert.deepEqual(range, minMaxFinite(expected))
    })
  }

  it('tiny and huge magnitudes (float32 subnormals, near overflow) keep the bits', () => {
    for (const scale of [1e-40, 1e-36, 3e38]) {
      const src = randomMap(7, 16 * 12, scale)
      const {depth} = kernels().upsampleBicubic(src, 16, 12, 45, 31)
      assert.equal(firstDifference(depth, upsampleBicubic(src, 16, 12, 45, 31)), 'none', `scale ${scale}`)
    }
  })

  it('leaves NaN and the infinities out of the range, as minMaxFinite does', () => {
    const k = kernels()
    const src = randomMap(3, 12 * 10)
    src[17] = NaN
    src[40] = Infinity
    src[90] = -Infinity
    const {depth, range} = k.upsampleBicubic(src, 12, 10, 30, 25)
    const expected = upsampleBicubic(src, 12, 10, 30, 25)
    assert.equal(firstDifference(depth, expected), 'none')
    assert.deepEqual(range, minMaxFinite(expected))
    assert.deepEqual(k.upsampleBicubic(new Float32Array(4).fill(NaN), 2, 2, 7, 5).range, {min: 0, max: 0})
  })

  // fmaf(1 − 2⁻²⁴, 1 + 2⁻²³, 2⁻⁴⁷ + 2⁻⁷⁰) = 1 + 2⁻²³ exactly rounded, but the double sum rounds to the
  // float32 half-way point 1 + 2⁻²⁴, which rounds on to 1: the case only the exact fallback gets right.
  const a = 1 - 2 ** -24
  const b = 1 + 2 ** -23
  const c = 2 ** -47 + 2 ** -70
  const axis = (index: number[], weight: number[], size: number) => ({
    index: Int32Array.from({length: 4 * size}, (_, i) => index[i % 4]!),
    weight: Float32Array.from({length: 4 * size}, (_, i) => weight[i % 4]!),
  })
  const identity = (size: number) => ({
    index: Int32Array.from({length: 4 * size}, (_, i) => Math.floor(i / 4)),
    weight: Float32Array.from({length: 4 * size}, (_, i) => (i % 4 === 1 ? 1 : 0)),
  })

  it('a double sum that lands half-way between two float32 values: the exact result, in the vertical pass', () => {
    const plan = {srcWidth: 9, srcHeight: 2, dstWidth: 9, dstHeight: 3, columns: identity(9), rows: axis([0, 1, 0, 0], [b, 1, 0, 0], 3)}
    const src = Float32Array.from({length: 18}, (_, i) => (i < 9 ? a : c))
    const {depth} = kernels().upsampleWithPlan(plan, src)
    assert.deepEqual([...new Set(depth)], [Math.fround(1 + 2 ** -23)])
    const js = new BicubicRowStream(plan, src)
    const line = new Float32Array(9)
    js.row(0, line)
    assert.deepEqual(depth.subarray(0, 9), line)
  })

  it('the same in the horizontal pass', () => {
    const plan = {srcWidth: 2, srcHeight: 3, dstWidth: 9, dstHeight: 3, columns: axis([0, 1, 0, 0], [b, 1, 0, 0], 9), rows: identity(3)}
    const src = Float32Array.from({length: 6}, (_, i) => (i % 2 === 0 ? a : c))
    const {depth} = kernels().upsampleWithPlan(plan, src)
    assert.deepEqual([...new Set(depth)], [Math.fround(1 + 2 ** -23)])
  })

  it('refuses a source of the wrong size', () => {
    assert.throws(() => kernels().upsampleBicubic(new Float32Array(5), 2, 3, 4, 6), /Expected 2×3 values, got 5/)
  })
})

describe('WebAssembly png16Rows', () => {
  /** The PNG of the TypeScript path: toUint16Reference, then encodePng16's own filter. */
  const typescriptPng = (depth: Float32Array, w: number, h: number, min: number, max: number): Promise<Buffer> =>
    encodePng16(toUint16Reference(depth, min, max), w, h)

  it('after the upsample, without a copy: the same PNG bytes as the TypeScript path', async () => {
    const k = kernels()
    for (const [w, h, dw, dh] of [
      [16, 12, 61, 45],
      [5, 4, 8, 3],
      [3, 3, 7, 1],
      [2, 2, 1, 6],
    ] as const) {
      const src = randomMap(dw, w * h)
      const {depth, range} = k.upsampleBicubic(src, w, h, dw, dh, true)
      const rows = k.png16Rows(depth, dw, dh, range)
      assert.equal(rows.buffer, depth.buffer, 'the rows sit next to the map')
      const expected = await typescriptPng(upsampleBicubic(src, w, h, dw, dh), dw, dh, range.min, range.max)
      assert.ok((await encodePng16Rows(rows, dw, dh)).equals(expected), `${dw}×${dh}`)
    }
  })

  it('any map and range: NaN, infinities, values outside the range, a constant map', async () => {
    const k = kernels()
    const w = 29
    const h = 6
    const depth = randomMap(11, w * h)
    Object.assign(depth, {3: NaN, 8: Infinity, 9: -Infinity, 20: 1e30, 21: -1e30, 40: 0})
    for (const [min, max] of [
      [-30, 70],
      [-10, 10], // most values outside: clamped as the TypeScript path clamps
      [5, 5], // no span: all zero
      [0, 1e-20],
    ] as const) {
      const expected = await typescriptPng(depth, w, h, min, max)
      assert.ok((await encodePng16Rows(k.png16Rows(depth, w, h, {min, max}), w, h)).equals(expected), `range ${min}..${max}`)
    }
  })

  it('encodePng16Rows refuses rows of the wrong length', async () => {
    await assert.rejects(encodePng16Rows(new Uint8Array(9), 2, 2), /Expected 10 bytes of rows for 2×2, got 9/)
  })
})

describe("WebAssembly 16-bit values and colour levels (the video encoders' frames)", () => {
  // Lengths around the vector widths (8 values for 16-bit, 4 for colour) leave scalar tails of every size.
  const maps = (): Float32Array[] =>
    [1, 3, 4, 7, 8, 9, 61, 1920 * 3 + 5].map((n) => {
      const depth = randomMap(n, n)
      // Non-finite values and values far outside the ranges below, where the vector and scalar paths clamp.
      for (const [i, v] of [
        [0, NaN],
        [2, Infinity],
        [5, -Infinity],
        [6, 1e30],
        [40, -1e30],
      ] as const) {
        if (i < n) depth[i] = v
      }
      return depth
    })
  const ranges = [
    [-30, 70],
    [-10, 10],
    [5, 5], // no span: all zero
    [0, 1e-20],
    [-1e38, 1e38],
  ] as const

  it("toUint16ReferenceWasm gives toUint16Reference's values, in a fresh array", () => {
    const instance = new WasmInstance()
    for (const depth of maps()) {
      for (const [min, max] of ranges) {
        const values = toUint16ReferenceWasm(instance, depth, min, max)
        assert.notEqual(values.buffer, instance.buffer)
        assert.deepEqual(values, toUint16Reference(depth, min, max), `${depth.length} values, range ${min}..${max}`)
      }
    }
  })

  it('colormapReferenceWasm gives applyColormap(toUint8Reference(…)) for every colour map', () => {
    const instance = new WasmInstance()
    for (const name of COLORMAPS) {
      for (const depth of maps()) {
        for (const [min, max] of ranges) {
          const expected = applyColormap(toUint8Reference(depth, min, max), name)
          assert.deepEqual(colormapReferenceWasm(instance, depth, min, max, colormapLut(name)), expected, `${name}, ${depth.length} values, ${min}..${max}`)
        }
      }
    }
  })

  it('refuses a map that lives in the instance it would be scaled by, and a table that is not 256×3', () => {
    const instance = new WasmInstance()
    const inside = new Float32Array(instance.buffer, instance.layout([64])[0], 16)
    assert.throws(() => toUint16ReferenceWasm(instance, inside, 0, 1), /must not live in the instance/)
    assert.throws(() => colormapReferenceWasm(instance, new Float32Array(4), 0, 1, new Uint8Array(767)), /256×3 colour table, got 767 bytes/)
  })
})

describe('WasmInstancePool', () => {
  it('keeps one idle instance, the largest', () => {
    const pool = new WasmInstancePool(1)
    const a = pool.take()
    const b = pool.take()
    assert.notEqual(a, b)
    upsampleBicubicWasm(a, new Float32Array(4), 2, 2, 500, 400)
    pool.give(b)
    pool.give(a)
    assert.equal(pool.take(), a)
    assert.notEqual(pool.take(), b, 'the smaller idle instance was dropped')
  })

  it('the backend is WebAssembly unless DPT_WASM=0 asks for the TypeScript reference', () => {
    assert.equal(kernelBackend({}), 'wasm')
    assert.equal(kernelBackend({DPT_WASM: '0'}), 'typescript')
  })
})

describe('WebAssembly cubic input (cv2 INTER_CUBIC of byte / 255.0, then NormalizeImage)', () => {
  const input = (): ReturnType<typeof cubicInputKernels> => {
    const k = cubicInputKernels()
    return k
  }
  /** The TypeScript path of prepareInput for an 8-bit image. */
  const typescript = (src: Uint8Array, w: number, h: number, dw: number, dh: number, mean: Triple, std: Triple): Float32Array => {
    const resized = new Float64Array(dw * dh * 3)
    resizeCubicUnitInto(src, w, h, 3, dw, dh, resized)
    return toNchw(resized, dw, dh, mean, std, 1, 'float64')
  }
  const DPT: [Triple, Triple] = [
    [0.5, 0.5, 0.5],
    [0.5, 0.5, 0.5],
  ]
  const IMAGENET: [Triple, Triple] = [
    [0.485, 0.456, 0.406],
    [0.229, 0.224, 0.225],
  ]

  for (const name of ['up', 'half', 'dpt_ratio']) {
    it(`${name}: cv2's float64 values (OpenCV goldens), rounded once, channel by channel`, () => {
      const source = readNpy(fixture('kernels', `cv2_cubic_${name}_in.npy`))
      const golden = readNpy(fixture('kernels', `cv2_cubic_${name}_out.npy`))
      const [h, w] = source.shape as [number, number]
      const [dh, dw] = golden.shape as [number, number]
      const out = input().resizeNormalize(source.data as Uint8Array, w, h, dw, dh, [0, 0, 0], [1, 1, 1])
      const expected = new Float32Array(3 * dw * dh)
      for (let i = 0; i < dw * dh; i++) for (let c = 0; c < 3; c++) expected[c * dw * dh + i] = Number(golden.data[i * 3 + c]!)
      assert.equal(firstDifference(out, expected), 'none')
    })
  }

  it('the bits of the TypeScript path: shrinking, enlarging, the same size, odd sizes, DPT and ImageNet statistics', () => {
    const k = input()
    const next = random(5)
    for (const [w, h, dw, dh] of [
      [640, 480, 384, 288],
      [97, 61, 384, 224],
      [1000, 301, 96, 32],
      [33, 17, 33, 17],
      [1, 1, 4, 4],
      [5, 9, 1, 1],
      [250, 2, 7, 5],
    ] as const) {
      const src = Uint8Array.from({length: w * h * 3}, () => Math.floor(next() * 256))
      for (const [mean, std] of [DPT, IMAGENET]) {
        assert.equal(
          firstDifference(k.resizeNormalize(src, w, h, dw, dh, mean, std), typescript(src, w, h, dw, dh, mean, std)),
          'none',
          `${w}×${h} → ${dw}×${dh}`,
        )
      }
    }
  })

  it('reuses its memory across images of any size, and refuses a source of the wrong size', () => {
    const k = input()
    const next = random(9)
    const big = Uint8Array.from({length: 800 * 600 * 3}, () => Math.floor(next() * 256))
    const small = big.subarray(0, 20 * 10 * 3)
    const first = k.resizeNormalize(small, 20, 10, 40, 32, ...IMAGENET)
    k.resizeNormalize(big, 800, 600, 384, 288, ...IMAGENET)
    assert.equal(firstDifference(k.resizeNormalize(small, 20, 10, 40, 32, ...IMAGENET), first), 'none')
    assert.throws(() => k.resizeNormalize(small, 21, 10, 40, 32, ...DPT), /Expected 21×10×3 source values, got 600/)
  })

  it('prepareInput uses it for 8-bit cv2-cubic models, and the TypeScript backend gives the same tensor', () => {
    const next = random(13)
    const image = {
      width: 301,
      height: 199,
      bitDepth: 8,
      pixels: Uint8Array.from({length: 301 * 199 * 3}, () => Math.floor(next() * 256)),
    } as unknown as DecodedImage
    const pre: PreprocessCard = {
      resize: 'cv2-cubic',
      keepAspect: true,
      rule: 'lower_bound',
      width: 96,
      height: 64,
      multiple: 32,
      mean: IMAGENET[0],
      std: IMAGENET[1],
    }
    const withWasm = prepareInput(image, pre, 'wasm')
    const withoutWasm = prepareInput(image, pre, 'typescript')
    assert.deepEqual(withWasm.dims, withoutWasm.dims)
    assert.equal(firstDifference(withWasm.tensor, withoutWasm.tensor), 'none')
  })
})
