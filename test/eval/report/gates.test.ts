import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {buildReport} from '../../../src/eval/report/build.js'
import {evaluateGates, parseGate, parseMaxRegression} from '../../../src/eval/report/gates.js'
import type {EvalReport, Gate} from '../../../src/eval/types.js'
import {DptError, ExitCode} from '../../../src/pipeline/errors.js'
import {depthDataset, depthProtocol, depthRecords, model, segmentDataset, segmentProtocol} from './sample.js'

/** A report with chosen metric values (the gates read only task, dataset, protocol and metrics). */
function withMetrics(base: EvalReport, metrics: Record<string, number | null>): EvalReport {
  return {...base, metrics: {...base.metrics, ...metrics}}
}
const segment = buildReport({dataset: segmentDataset, protocol: segmentProtocol, model, records: []})
const depth = buildReport({dataset: depthDataset, protocol: depthProtocol, model, records: depthRecords(3)})

const usageError = (pattern: RegExp) => (e: unknown) => e instanceof DptError && e.exitCode === ExitCode.usage && pattern.test(e.message)

describe('parseGate', () => {
  const cases: [string, string, string, number][] = [
    ['mIoU<47.5', 'mIoU', '<', 47.5],
    [' miou <= 47.5 ', 'mIoU', '<=', 47.5],
    ['pixAcc>=80', 'pixAcc', '>=', 80],
    ['aAcc<80', 'pixAcc', '<', 80],
    ['absRel>0.12', 'absRel', '>', 0.12],
    ['abs_rel > 1e-1', 'absRel', '>', 0.1],
    ['delta1<0.9', 'delta1', '<', 0.9],
    ['d1<0.9', 'delta1', '<', 0.9],
    ['δ<1.25<0.9', 'delta1', '<', 0.9],
    ['δ>1.25>9.5', 'deltaAbove125Pct', '>', 9.5],
    ['δ>1.25 >= 9.5', 'deltaAbove125Pct', '>=', 9.5],
    ['delta>1.25>9.5', 'deltaAbove125Pct', '>', 9.5],
    ['RMSE log<0.2', 'rmseLog', '<', 0.2],
    ['rmselog<0.2', 'rmseLog', '<', 0.2],
    ['mIoU (all classes)<40', 'mIoUAll', '<', 40],
    ['silog_bts>12', 'silogBts', '>', 12],
  ]
  for (const [source, metric, operator, threshold] of cases) {
    it(source, () => {
      assert.deepEqual(parseGate(source), {kind: 'fail-if', source, metric, operator, threshold})
    })
  }
  it('an unknown metric is a usage error naming the available metrics', () => {
    assert.throws(() => parseGate('mIoUx<3'), usageError(/unknown metric `mIoUx`.*Available: absRel, sqRel.*mIoU, mIoUAll, mAcc/))
    assert.throws(() => parseGate('silog<3'), usageError(/unknown metric `silog`/))
  })
  it('malformed gates are usage errors with an example', () => {
    for (const bad of ['mIoU', 'mIoU=47', 'mIoU<', 'mIoU<abc', '<3', 'mIoU<<3']) assert.throws(() => parseGate(bad), usageError(/--fail-if|number/), bad)
  })
})

describe('parseMaxRegression', () => {
  it('METRIC=DELTA with aliases', () => {
    assert.deepEqual(parseMaxRegression('mIoU=0.5'), {kind: 'max-regression', source: 'mIoU=0.5', metric: 'mIoU', maxDelta: 0.5})
    assert.deepEqual(parseMaxRegression('abs_rel=0.002').metric, 'absRel')
    assert.equal(parseMaxRegression('δ>1.25=1').metric, 'deltaAbove125Pct')
  })
  it('rejects bad forms', () => {
    assert.throws(() => parseMaxRegression('mIoU'), usageError(/METRIC=DELTA/))
    assert.throws(() => parseMaxRegression('mIoU=-1'), usageError(/non-negative/))
    assert.throws(() => parseMaxRegression('foo=1'), usageError(/unknown metric `foo`/))
  })
})

describe('evaluateGates: --fail-if', () => {
  const run = (gate: string, value: number | null) => evaluateGates(withMetrics(segment, {mIoU: value}), [parseGate(gate)]).results[0]!
  it('fails when the condition holds, passes otherwise, at the boundary exactly as written', () => {
    assert.equal(run('mIoU<47.5', 47.4).passed, false)
    assert.equal(run('mIoU<47.5', 47.5).passed, true)
    assert.equal(run('mIoU<=47.5', 47.5).passed, false)
    assert.equal(run('mIoU>47.5', 47.5).passed, true)
    assert.equal(run('mIoU>=47.5', 47.5).passed, false)
    assert.equal(run('mIoU>47.5', 47.6).passed, false)
  })
  it('results are data: gate, value, threshold, pass/fail and a sentence', () => {
    assert.deepEqual(run('mIoU<47.5', 40), {
      gate: 'mIoU<47.5',
      kind: 'fail-if',
      metric: 'mIoU',
      value: 40,
      threshold: 47.5,
      passed: false,
      message: 'mIoU = 40 < 47.5: gate failed',
    })
  })
  it('an undefined metric never passes', () => {
    const r = run('mIoU<47.5', null)
    assert.equal(r.passed, false)
    assert.match(r.message, /undefined/)
  })
  it('all gates are reported, and the outcome fails if any fails', () => {
    const report = withMetrics(segment, {mIoU: 50, pixAcc: 70})
    const outcome = evaluateGates(report, [parseGate('mIoU<47.5'), parseGate('pixAcc<80')])
    assert.deepEqual(
      outcome.results.map((r) => r.passed),
      [true, false],
    )
    assert.equal(outcome.passed, false)
    assert.equal(evaluateGates(report, []).passed, true)
  })
  it('a metric the report does not have is a usage error naming the available ones', () => {
    assert.throws(
      () => evaluateGates(segment, [parseGate('absRel>0.1')]),
      usageError(/segment report has no metric absRel\. Available: pixAcc, mIoU, mIoUAll, mAcc/),
    )
  })
})

describe('evaluateGates: --baseline and --max-regression', () => {
  const old = withMetrics(depth, {absRel: 0.1, delta1: 0.9})
  const gates: Gate[] = [parseMaxRegression('absRel=0.005'), parseMaxRegression('delta1=0.01')]
  it('lower-is-better metrics regress upward, higher-is-better ones downward', () => {
    const better = evaluateGates(withMetrics(depth, {absRel: 0.08, delta1: 0.95}), gates, old)
    assert.equal(better.passed, true)
    const within = evaluateGates(withMetrics(depth, {absRel: 0.104, delta1: 0.891}), gates, old)
    assert.equal(within.passed, true)
    const worse = evaluateGates(withMetrics(depth, {absRel: 0.106, delta1: 0.889}), gates, old)
    assert.deepEqual(
      worse.results.map((r) => r.passed),
      [false, false],
    )
    assert.equal(worse.results[0]!.baseline, 0.1)
    assert.equal(worse.results[0]!.threshold, 0.1 + 0.005)
    assert.equal(worse.results[1]!.threshold, 0.9 - 0.01)
    assert.match(worse.results[0]!.message, /0\.1 → 0\.106 .*lower is better.*regression/)
  })
  it('a baseline is required, and must be the same task, dataset and protocol', () => {
    assert.throws(() => evaluateGates(depth, gates), usageError(/needs --baseline/))
    assert.throws(() => evaluateGates(depth, gates, {...old, protocol: {...depthProtocol, cap: 80}}), usageError(/protocol differs/))
    assert.throws(() => evaluateGates(depth, gates, {...old, dataset: {...depthDataset, name: 'kitti'}}), usageError(/dataset differs/))
  })
  it('a metric undefined in the baseline fails its gate', () => {
    const r = evaluateGates(depth, [gates[0]!], withMetrics(old, {absRel: null})).results[0]!
    assert.equal(r.passed, false)
    assert.match(r.message, /undefined in the baseline/)
  })
})
