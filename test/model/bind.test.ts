import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {bindCard} from '../../src/model/bind.js'
import type {LocatedModel} from '../../src/model/locate.js'
import {depthCard} from '../helpers/card.js'

const card = depthCard
const model: LocatedModel = {name: 'test', onnxPath: '/m.onnx', dtype: 'fp32', card, cardPath: '/card.json'}
const input = (shape: (number | string)[], type = 'float32') => [{name: 'pixel_values', type, shape}]
const output = (shape: (number | string)[]) => [{name: 'predicted_depth', type: 'float32', shape}]

describe('bindCard', () => {
  it('accepts a card that agrees with a dynamic graph', () => {
    assert.equal(bindCard(model, {inputs: input([1, 3, 'h', 'w']), outputs: output([1, 'h', 'w'])}), card)
  })

  it('rejects names the graph does not have, naming what it has', () => {
    assert.throws(
      () => bindCard(model, {inputs: [{name: 'image', type: 'float32', shape: [1, 3, 'h', 'w']}], outputs: output([1, 'h', 'w'])}),
      /input "pixel_values" is not in the graph \(inputs: image\)/,
    )
  })

  it('rejects a fixed-size graph under a keep-aspect card', () => {
    assert.throws(
      () => bindCard(model, {inputs: input([1, 3, 384, 384]), outputs: output([1, 384, 384])}),
      /only accepts 384×384 inputs but the card keeps the aspect ratio/,
    )
  })

  it('rejects a fixed size that differs from a square card', () => {
    const square = {...model, card: {...card, preprocess: {...card.preprocess, keepAspect: false, height: 480, width: 480}}}
    assert.throws(() => bindCard(square, {inputs: input([1, 3, 384, 384]), outputs: output([1, 384, 384])}), /card resizes to 480×480/)
  })

  it('rejects a segmentation graph under a depth card and wrong input types', () => {
    assert.throws(() => bindCard(model, {inputs: input([1, 3, 'h', 'w']), outputs: output([1, 150, 'h', 'w'])}), /a depth model gives/)
    assert.throws(() => bindCard(model, {inputs: input([1, 3, 'h', 'w'], 'float16'), outputs: output([1, 'h', 'w'])}), /is float16; dpt feeds float32/)
  })

  it('derives the card of a Hugging Face folder from its config files', () => {
    const hf: LocatedModel = {
      name: 'hf',
      onnxPath: '/m.onnx',
      dtype: 'fp32',
      hf: {
        config: {architectures: ['DPTForDepthEstimation']},
        preprocessor: {
          size: {height: 384, width: 384},
          keep_aspect_ratio: false,
          ensure_multiple_of: 1,
          resample: 2,
          rescale_factor: 1 / 255,
          image_mean: [0.5, 0.5, 0.5],
          image_std: [0.5, 0.5, 0.5],
        },
      },
    }
    const bound = bindCard(hf, {inputs: input([1, 3, 384, 384]), outputs: output([1, 384, 384])})
    assert.deepEqual(bound.preprocess, {
      height: 384,
      width: 384,
      keepAspect: false,
      rule: 'minimal',
      multiple: 1,
      resize: 'pil-bilinear',
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
    })
    assert.equal(bound.upsample, 'bicubic')
    assert.equal(bound.input.name, 'pixel_values')
    const nearest = {...hf, hf: {config: hf.hf!.config, preprocessor: {...hf.hf!.preprocessor, resample: 0}}}
    assert.throws(() => bindCard(nearest, {inputs: input([1, 3, 384, 384]), outputs: output([1, 384, 384])}), /resample=0 is not supported/)
  })
})
