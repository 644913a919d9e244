/** --input-size: the card's target size for one run, its size rule and multiple kept. */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {bindCard} from '../../src/model/bind.js'
import {parseInputSize, withInputSize} from '../../src/model/input-size.js'
import type {LocatedModel} from '../../src/model/locate.js'
import {DptError, ExitCode} from '../../src/pipeline/errors.js'
import {networkSize} from '../../src/pipeline/preprocess/size-rule.js'
import {depthCard} from '../helpers/card.js'

const model: LocatedModel = {name: 'test', onnxPath: '/m.onnx', dtype: 'fp32', card: depthCard, cardPath: '/card.json'}
const graph = (h: number | string, w: number | string) => ({
  inputs: [{name: 'pixel_values', type: 'float32', shape: [1, 3, h, w]}],
  outputs: [{name: 'predicted_depth', type: 'float32', shape: [1, h, w]}],
})

describe('--input-size', () => {
  it('takes N (square) or WxH', () => {
    assert.deepEqual(parseInputSize('512'), {width: 512, height: 512})
    assert.deepEqual(parseInputSize('640x480'), {width: 640, height: 480})
    assert.deepEqual(parseInputSize(' 640 × 480 '), {width: 640, height: 480})
    for (const bad of ['0', '-3', '12.5', 'x480', '640x', 'big', '20000']) {
      assert.throws(
        () => parseInputSize(bad),
        (e: unknown) => e instanceof DptError && e.exitCode === ExitCode.usage && /Expected --input-size to be a size in pixels/.test(e.message),
        bad,
      )
    }
  })

  it('replaces the target size only: the rule and multiple still decide the network size', () => {
    const card = withInputSize(depthCard, {width: 512, height: 512})
    assert.deepEqual(card.preprocess, {...depthCard.preprocess, width: 512, height: 512})
    // DPT's minimal rule at 512, ×32: a 1920×1080 photo becomes 896×512 (at the card's 384: 672×384).
    assert.deepEqual(networkSize({width: 1920, height: 1080}, card.preprocess), {width: 896, height: 512})
    assert.deepEqual(networkSize({width: 1920, height: 1080}, depthCard.preprocess), {width: 672, height: 384})
    assert.equal(withInputSize(depthCard, undefined), depthCard)
  })

  it('is applied when the card is bound, and refused (usage error) by a graph of another fixed size', () => {
    assert.deepEqual(bindCard(model, graph('h', 'w'), {width: 640, height: 480}).preprocess.width, 640)
    const square = {...model, card: {...depthCard, preprocess: {...depthCard.preprocess, keepAspect: false}}}
    assert.equal(bindCard(square, graph(384, 384), {width: 384, height: 384}).preprocess.height, 384)
    assert.throws(
      () => bindCard(square, graph(384, 384), {width: 512, height: 512}),
      (e: unknown) =>
        e instanceof DptError &&
        e.exitCode === ExitCode.usage &&
        /--input-size 512x512 does not fit test: its graph only accepts 384×384 inputs/.test(e.message),
    )
  })
})
