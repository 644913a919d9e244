/** Warnings for flags that have no effect in the run they are given to. */
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {benchFlagWarnings, depthFlagWarnings, evalFlagWarnings, modelFlagWarnings, segmentFlagWarnings} from '../../src/cli/unused-flags.js'

const typed =
  (...names: string[]) =>
  (name: string): boolean =>
    names.includes(name)

describe('flags without effect', () => {
  it('depth: --colormap without color, --normalize without a normalised format, --metric-scale without png16', () => {
    assert.deepEqual(depthFlagWarnings({format: 'png16', 'metric-scale': undefined}, typed('colormap')), [
      '--colormap has no effect without the color format (--format …,color)',
    ])
    assert.deepEqual(depthFlagWarnings({format: 'png16,color', 'metric-scale': undefined}, typed('colormap', 'normalize')), [])
    assert.deepEqual(depthFlagWarnings({format: 'pfm,npy', 'metric-scale': 256}, typed('normalize', 'metric-scale')), [
      '--normalize has no effect: none of the formats (pfm,npy) is normalised (png16, png8 and color are)',
      '--metric-scale has no effect without the png16 format',
    ])
    // Defaults never warn: only typed flags do.
    assert.deepEqual(depthFlagWarnings({format: 'npy', 'metric-scale': undefined}, typed()), [])
  })

  it('segment: --alpha without overlay, --label-offset without labels or json', () => {
    assert.deepEqual(segmentFlagWarnings({format: 'labels,color'}, typed('alpha', 'label-offset')), [
      '--alpha has no effect without the overlay format (--format …,overlay)',
    ])
    assert.deepEqual(segmentFlagWarnings({format: 'color,overlay'}, typed('alpha', 'label-offset')), [
      '--label-offset has no effect without the labels or json format',
    ])
  })

  it('model runs: --dtype with an .onnx file, --strict-provider with cpu, --pipeline-nice off Linux', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpt-unused-'))
    writeFileSync(join(dir, 'm.onnx'), 'x')
    assert.deepEqual(
      modelFlagWarnings({model: join(dir, 'm.onnx'), provider: undefined, dtype: 'q8'}, typed('dtype', 'strict-provider', 'pipeline-nice'), 'darwin'),
      [
        `--dtype has no effect with an .onnx file (${join(dir, 'm.onnx')}): it picks a variant in a model folder`,
        '--strict-provider has no effect with the cpu provider',
        '--pipeline-nice has no effect on darwin (Linux only)',
      ],
    )
    assert.deepEqual(modelFlagWarnings({model: dir, provider: 'cuda', dtype: 'q8'}, typed('dtype', 'strict-provider', 'pipeline-nice'), 'linux'), [])
  })

  it('bench: --sizes with images given; eval: model flags with --predictions and the reverse', () => {
    assert.deepEqual(benchFlagWarnings(['photos'], typed('sizes')), ['--sizes has no effect when images are given: it sizes the generated ones'])
    assert.deepEqual(benchFlagWarnings([], typed('sizes')), [])
    assert.deepEqual(evalFlagWarnings({predictions: 'out'}, typed('workers', 'input-size', 'prediction-kind')), [
      '--workers has no effect with --predictions (no model runs)',
      '--input-size has no effect with --predictions (no model runs)',
    ])
    assert.deepEqual(evalFlagWarnings({predictions: undefined}, typed('workers', 'prediction-scale')), [
      '--prediction-scale has no effect without --predictions',
    ])
  })
})
