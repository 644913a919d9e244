/** Multi-scale + flip segmentation (PyTorch-Encoding MultiEvalModule) on a fake model with known logits. */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {argmaxMultiScale, mirror, prepareView, views} from '../../src/eval/predict-segment-tta.js'
import type {ModelCard} from '../../src/model/card.js'
import type {DecodedImage} from '../../src/pipeline/decode.js'
import type {InferResult} from '../../src/pipeline/infer/pool.js'
import {upsampleBicubic} from '../../src/kernels/upsample-bicubic.js'
import {depthCard} from '../helpers/card.js'
import {type Prepared} from '../../src/pipeline/stages.js'

const C = 4
const {semantics: _depthOnly, ...base} = depthCard
const card: ModelCard = {
  ...base,
  name: 'fake',
  task: 'segmentation',
  input: {name: 'x'},
  output: {name: 'y'},
  preprocess: {...base.preprocess, height: 32, width: 32, multiple: 8},
  labels: ['a', 'b', 'c', 'd'],
}

function image(width = 20, height = 16): DecodedImage {
  const pixels = new Uint8Array(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 256
  return {width, height, bitDepth: 8, pixels, format: 'raw'}
}

/** Logits that depend on the input and on the column, so a mirrored input gives different logits. */
function fakeModel(input: Prepared): InferResult {
  const [, , h, w] = input.dims as [number, number, number, number]
  const data = new Float32Array(C * h * w)
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) data[(c * h + y) * w + x] = input.tensor[y * w + x]! * (c + 1) * 0.7 + (c * x) / w - c * 0.3
    }
  }
  return {data, dims: [1, C, h, w], runMs: 0, queueMs: 0}
}

/** The protocol written out directly: per scale exp(L(img) + mirror(L(mirror(img)))), upsampled, summed, argmax. */
function expected(img: DecodedImage, scales: number[], flip: boolean): Uint8Array {
  const plane = img.width * img.height
  const sum = new Float64Array(C * plane)
  for (const scale of scales) {
    const plain = fakeModel(prepareView(img, card, {scale, flip: false}, 'wasm'))
    const [, , h, w] = plain.dims as [number, number, number, number]
    const logits = Float32Array.from(plain.data)
    if (flip) {
      const p = prepareView(img, card, {scale, flip: false}, 'wasm')
      const mirrored = fakeModel({...p, tensor: mirror(p.tensor, p.dims)})
      const back = mirror(mirrored.data, mirrored.dims)
      for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! + back[i]!
    }
    for (let c = 0; c < C; c++) {
      const up = upsampleBicubic(Float32Array.from(logits.subarray(c * h * w, (c + 1) * h * w), Math.exp), w, h, img.width, img.height)
      for (let i = 0; i < plane; i++) sum[c * plane + i] = Math.fround(sum[c * plane + i]! + up[i]!)
    }
  }
  return Uint8Array.from({length: plane}, (_, i) => {
    let best = 0
    for (let c = 1; c < C; c++) if (sum[c * plane + i]! > sum[best * plane + i]!) best = c
    return best
  })
}

describe('segmentation test-time augmentation', () => {
  it('views: every scale, each with its mirror when flipping', () => {
    assert.deepEqual(views([0.5, 1], true), [
      {scale: 0.5, flip: false},
      {scale: 0.5, flip: true},
      {scale: 1, flip: false},
      {scale: 1, flip: true},
    ])
    assert.deepEqual(views([1], false), [{scale: 1, flip: false}])
  })

  it('mirror reverses each row of an N×C×H×W tensor and is its own inverse', () => {
    const t = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    assert.deepEqual([...mirror(t, [1, 2, 2, 3])], [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10])
    assert.deepEqual([...mirror(mirror(t, [1, 2, 2, 3]), [1, 2, 2, 3])], [...t])
  })

  it('a scale multiplies the card target before its size rule: 20×16 → 32×24 at 1, 16×16 at 0.5, 48×40 at 1.5', () => {
    // minimal rule, multiple 8: the side scale closer to 1 wins, each side rounded half-to-even to a multiple.
    assert.deepEqual(prepareView(image(), card, {scale: 1, flip: false}, 'wasm').dims, [1, 3, 24, 32])
    assert.deepEqual(prepareView(image(), card, {scale: 0.5, flip: false}, 'wasm').dims, [1, 3, 16, 16])
    assert.deepEqual(prepareView(image(), card, {scale: 1.5, flip: false}, 'wasm').dims, [1, 3, 40, 48])
  })

  for (const [scales, flip, runs] of [
    [[1], true, 1],
    [[0.5, 1, 1.5], false, 2],
    [[0.75, 1.25], true, 3],
  ] as const) {
    it(`scales ${scales.join(',')}${flip ? ' + flip' : ''}: the protocol's labels, ${runs} extra inference(s) beyond the scheduler's`, async () => {
      const img = image()
      let calls = 0
      const infer = async (input: Prepared): Promise<InferResult> => {
        calls++
        return fakeModel(input)
      }
      const firstView = {scale: scales[0], flip: false}
      const first = {view: firstView, result: fakeModel(prepareView(img, card, firstView, 'wasm'))}
      const labels = await argmaxMultiScale(img, card, C, scales, flip, infer, 'wasm', first)
      assert.equal(calls, runs)
      const want = expected(img, [...scales], flip)
      assert.deepEqual([...labels], [...want])
      assert.ok(new Set(labels).size > 1, 'the fake model yields more than one class')
    })
  }
})
