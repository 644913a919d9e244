import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {EvalSample} from '../../../src/eval/datasets/dataset.js'
import {TemporalPairs} from '../../../src/eval/metrics/temporal.js'
import type {DepthGt, DepthPrediction, DepthProtocol} from '../../../src/eval/types.js'

const NONE: DepthProtocol = {task: 'depth', alignment: 'none', minDepth: 1e-3, maxDepth: 80, cap: null, crops: [], clip: false}
const sample = (id: string): EvalSample => ({id, image: `/x/${id}`, gt: [`/gt/${id}`]})
const gtOf = (depth: number[]): DepthGt => ({width: depth.length, height: 1, depth: Float32Array.from(depth)})
const depthPrediction = (depth: number[]): DepthPrediction => ({width: depth.length, height: 1, data: Float32Array.from(depth), kind: 'depth'})

/** Four pixels: two static at 2 m, one moving (2 → 3 m), one without ground truth in frame 2. */
const GT = [gtOf([2, 2, 2, 2]), gtOf([2, 2, 3, 0]), gtOf([2, 2, 3, 2])]
/** Predictions: pixel 0 off by +0.2 m in frame 2 only; pixel 1 steady. */
const PRED = [depthPrediction([2, 2, 2, 2]), depthPrediction([2.2, 2, 5, 9]), depthPrediction([2, 2, 7, 2])]

describe('temporal consistency error (dpt eval --temporal)', () => {
  it('is |Δ prediction − Δ GT| / GT over static pixels valid in both frames, pooled over pairs', () => {
    const pairs = new TemporalPairs(['s/1', 's/2', 's/3'].map(sample), NONE)
    for (const k of [0, 1, 2]) pairs.add(`s/${k + 1}`, PRED[k]!, GT[k]!, {})
    // Pair (1, 2): pixels 0 and 1 static (pixel 2 moved 50 %, pixel 3 has no GT in frame 2): |0.2|/2 and 0.
    // Pair (2, 3): pixels 0, 1 static (pixel 2 did not move but pixel 3 lacks GT in frame 2): |−0.2|/2 and 0; pixel 2 static too: |7 − 5 − 0|/3.
    const expected = (0.1 + 0 + 0.1 + 0 + 2 / 3) / 5
    const result = pairs.result()
    assert.equal(result.pairs, 2)
    assert.equal(result.staticPixels, 5)
    assert.ok(Math.abs(result.error! - expected) < 1e-6, `${result.error} vs ${expected}`)
    assert.equal(pairs.framesHeld, 0)
  })

  it('gives the same figure in any scoring order and holds a frame only until its neighbours are settled', () => {
    const inOrder = new TemporalPairs(['s/1', 's/2', 's/3'].map(sample), NONE)
    for (const k of [0, 1, 2]) inOrder.add(`s/${k + 1}`, PRED[k]!, GT[k]!, {})
    const shuffled = new TemporalPairs(['s/1', 's/2', 's/3'].map(sample), NONE)
    shuffled.add('s/3', PRED[2]!, GT[2]!, {})
    shuffled.add('s/1', PRED[0]!, GT[0]!, {})
    assert.equal(shuffled.framesHeld, 2, 'both wait for frame 2')
    shuffled.add('s/2', PRED[1]!, GT[1]!, {})
    assert.equal(shuffled.framesHeld, 0)
    assert.deepEqual(shuffled.result(), inOrder.result())
  })

  it('pairs neither across a skipped frame nor across sequences, and releases what waited for them', () => {
    const pairs = new TemporalPairs(['a/1', 'a/2', 'a/3', 'b/1'].map(sample), NONE)
    pairs.add('a/1', PRED[0]!, GT[0]!, {})
    pairs.add('a/3', PRED[2]!, GT[2]!, {})
    pairs.skip('a/2')
    assert.equal(pairs.framesHeld, 0)
    // b/1 is the next id after a/3 but another sequence: no pair.
    pairs.add('b/1', PRED[1]!, GT[1]!, {})
    assert.equal(pairs.framesHeld, 0)
    assert.deepEqual(pairs.result(), {pairs: 0, staticPixels: 0, staticChange: 0.01, error: null})
  })

  it("maps both frames of a pair with the earlier frame's fit, so a jump of the raw output's scale counts", () => {
    const protocol: DepthProtocol = {...NONE, alignment: 'scale-shift-disparity', cap: 80}
    const gt = gtOf([1, 2, 4, 8])
    // Raw disparity of a perfect model, then the same shape at twice the scale: a per-frame fit makes both exact.
    const raw = (c: number): DepthPrediction => ({width: 4, height: 1, data: Float32Array.from([1, 0.5, 0.25, 0.125].map((v) => c * v)), kind: 'disparity'})
    const pairs = new TemporalPairs(['s/1', 's/2'].map(sample), protocol)
    pairs.add('s/1', raw(1), gt, {scale: 1, shift: 0})
    pairs.add('s/2', raw(2), gt, {scale: 0.5, shift: 0})
    // Frame 2 under frame 1's fit: disparity doubled, depth halved: |d/2 − d| / d = 0.5 at every pixel.
    assert.ok(Math.abs(pairs.result().error! - 0.5) < 1e-9)
  })
})
