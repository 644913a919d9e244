import assert from 'node:assert/strict'
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {locateModel} from '../../src/model/locate.js'
import {depthCard} from '../helpers/card.js'

const validCard = {...depthCard, name: 'x'}

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'dpt-locate-'))
}

describe('locateModel', () => {
  it('finds the card next to a bare .onnx file', () => {
    const d = dir()
    writeFileSync(join(d, 'm.onnx'), 'onnx')
    writeFileSync(join(d, 'm.card.json'), JSON.stringify(validCard))
    const found = locateModel(join(d, 'm.onnx'), {dtype: 'fp32'})
    assert.equal(found.onnxPath, join(d, 'm.onnx'))
    assert.equal(found.card?.name, 'x')
  })

  it('refuses a bare .onnx without a card and says how to add one', () => {
    const d = dir()
    writeFileSync(join(d, 'm.onnx'), 'onnx')
    assert.throws(
      () => locateModel(join(d, 'm.onnx'), {dtype: 'fp32'}),
      (e: Error & {remedy?: string}) => /without a model card/.test(e.message) && /m\.card\.json/.test(e.remedy ?? ''),
    )
  })

  it('names every problem of an invalid card', () => {
    const d = dir()
    writeFileSync(join(d, 'm.onnx'), 'onnx')
    const bad = {...validCard, preprocess: {...validCard.preprocess, resize: 'lanczos', multiple: 0}, semantics: undefined}
    writeFileSync(join(d, 'm.card.json'), JSON.stringify(bad))
    assert.throws(
      () => locateModel(join(d, 'm.onnx'), {dtype: 'fp32'}),
      (e: Error) =>
        /preprocess.resize must be equal to one of the allowed values: cv2-cubic \| pil-bilinear \| pil-bicubic/.test(e.message) &&
        /preprocess.multiple must be >= 1/.test(e.message) &&
        /semantics/.test(e.message),
    )
  })

  it('picks the dtype variant of a folder and lists the ones it has', () => {
    const d = dir()
    mkdirSync(join(d, 'onnx'))
    writeFileSync(join(d, 'onnx', 'model.onnx'), 'onnx')
    writeFileSync(join(d, 'onnx', 'model_quantized.onnx'), 'onnx')
    writeFileSync(join(d, 'config.json'), '{}')
    writeFileSync(join(d, 'preprocessor_config.json'), '{}')
    assert.equal(locateModel(d, {dtype: 'q8'}).onnxPath, join(d, 'onnx', 'model_quantized.onnx'))
    assert.throws(
      () => locateModel(d, {dtype: 'fp16'}),
      (e: Error & {remedy?: string}) => /no fp16 variant/.test(e.message) && e.remedy === 'Use --dtype fp32 | q8.',
    )
  })
})
