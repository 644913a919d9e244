import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'
import {flopsFromProfile, profileFlops} from '../../src/bench/flops.js'
import {fixture} from '../helpers/fixtures.js'

interface Golden {
  readonly model: string
  readonly width: number
  readonly height: number
  readonly total: number
  readonly byOp: Record<string, number>
}

const goldens = (JSON.parse(readFileSync(fixture('bench', 'flops.json'), 'utf8')) as {models: Golden[]}).models

for (const golden of goldens) {
  test(`FLOPs from onnxruntime's profile equal tools/flops.py (ONNX shape inference): ${golden.model} ${golden.width}×${golden.height}`, async () => {
    const onnx = fixture('models', golden.model, 'onnx', 'model.onnx')
    const counts = await profileFlops(onnx, 'pixel_values', [{width: golden.width, height: golden.height}])
    const count = counts.get(`${golden.width}x${golden.height}`)
    assert.ok(count !== undefined)
    assert.deepEqual(count.byOp, golden.byOp)
    assert.equal(count.total, golden.total)
  })
}

test('profile events: only kernel_time node events count; Gemm K from the shared dimension; int8 forms counted', () => {
  const node = (op: string, inputs: number[][], output: number[], suffix = '_kernel_time') => ({
    cat: 'Node',
    name: `n_${op}${suffix}`,
    args: {op_name: op, input_type_shape: inputs.map((s) => ({float: s})), output_type_shape: [{float: output}]},
  })
  const count = flopsFromProfile([
    node(
      'MatMul',
      [
        [1, 10, 4],
        [4, 6],
      ],
      [1, 10, 6],
    ),
    node(
      'MatMul',
      [
        [1, 10, 4],
        [4, 6],
      ],
      [1, 10, 6],
      '_fence_before',
    ),
    node('Gemm', [[3, 5], [7, 5], [7]], [3, 7]),
    node(
      'Gemm',
      [
        [5, 3],
        [5, 7],
      ],
      [3, 7],
    ),
    node('MatMulInteger', [[2, 8], [8, 3], [1], [1]], [2, 3]),
    node('ConvInteger', [[1, 4, 5, 5], [2, 4, 3, 3], [1], [1]], [1, 2, 3, 3]),
    // static int8 (QDQ fused by onnxruntime): x, x_scale, x_zero_point, w, ... — the weight is input 3
    node('QLinearConv', [[1, 4, 5, 5], [], [], [2, 4, 3, 3], [2], [2], [], []], [1, 2, 3, 3]),
    node('QLinearMatMul', [[2, 8], [], [], [8, 3], [], [], [], []], [2, 3]),
    node(
      'Add',
      [
        [1, 10, 6],
        [1, 10, 6],
      ],
      [1, 10, 6],
    ),
    {cat: 'Session', name: 'model_run', args: {}},
  ])
  assert.deepEqual(count.byOp, {
    MatMul: 2 * 60 * 4,
    Gemm: 2 * (21 * 5 + 21 * 5),
    MatMulInteger: 2 * 6 * 8,
    ConvInteger: 2 * 18 * 36,
    QLinearConv: 2 * 18 * 36,
    QLinearMatMul: 2 * 6 * 8,
  })
  assert.equal(count.total, 480 + 420 + 96 + 1296 + 1296 + 96)
})
