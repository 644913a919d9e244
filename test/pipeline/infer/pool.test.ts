import assert from 'node:assert/strict'
import {test} from 'node:test'
import {InferencePool} from '../../../src/pipeline/infer/pool.js'
import {fixture} from '../../helpers/fixtures.js'

const init = {
  modelPath: fixture('models', 'channel-mean', 'onnx', 'model.onnx'),
  provider: 'cpu',
  threads: 1,
  graphOptimizationLevel: 'all' as const,
  memArena: true,
  memPattern: true,
  spin: false,
}

test('a run asked for after the pool closed (Ctrl-C while an image was decoding) is rejected, not left pending', async () => {
  const pool = await InferencePool.start(init, 1)
  const input = pool.info.inputs[0]!.name
  const output = pool.info.outputs[0]!.name
  const before = await pool.infer(input, output, new Float32Array(3 * 4 * 4).fill(0.5), [1, 3, 4, 4])
  assert.deepEqual(before.dims.slice(-2), [4, 4])
  await pool.close()
  await assert.rejects(pool.infer(input, output, new Float32Array(3 * 4 * 4), [1, 3, 4, 4]), /inference pool closed/)
})
