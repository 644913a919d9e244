import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {cropWindow, evaluationWindow} from '../../../src/eval/metrics/crops.js'
import {DEPTH_METRIC_NAMES, meanDepthMetrics} from '../../../src/eval/metrics/depth-aggregate.js'
import {scoreDepthImage} from '../../../src/eval/metrics/depth-image.js'
import type {DepthCrop, DepthImageRecord, DepthMetrics, DepthProtocol, PredictionKind} from '../../../src/eval/types.js'
import {DptError} from '../../../src/pipeline/errors.js'
import {assertClose, f32, loadGolden} from './golden.js'

interface Expected {
  pixels: number
  metrics: DepthMetrics | null
  scale?: number
  shift?: number
}
interface Case {
  name: string
  width: number
  height: number
  kind: PredictionKind
  protocol: DepthProtocol
  gt?: (number | string)[]
  pred?: (number | string)[]
  valid?: number[]
  expected: Expected
  float32: Expected
}
interface Golden {
  tolerance: {relative: number; absolute: number; silogAbsolute: number; float32Relative: number}
  cases: Case[]
  generated: Case[]
  windows: {crop: DepthCrop; width: number; height: number; top: number; bottom: number; left: number; right: number}[]
  aggregate: {
    width: number
    height: number
    kind: PredictionKind
    protocol: DepthProtocol
    images: {id: string; gt: (number | string)[]; pred: (number | string)[]}[]
    scored: number
    mean: DepthMetrics
  }
}

const golden = loadGolden('depth-metrics.json') as Golden
const {relative, absolute, silogAbsolute, float32Relative} = golden.tolerance
const absFor = (name: string): number => (name.startsWith('silog') ? silogAbsolute : absolute)

/** The same integer formulas as tools/eval_reference.py `generated`, rounded to float32 the same way. */
function generated(height: number, width: number, kind: PredictionKind): {gt: Float32Array; pred: Float32Array} {
  const gt = new Float32Array(width * height)
  const pred = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      const m = (y * 31 + x * 17) % 1000
      const noise = ((y * 13 + x * 29) % 997) / 997.0
      gt[i] = (x * 7 + y * 3) % 11 === 0 ? 0 : 0.5 + m / 100.0
      pred[i] = kind === 'disparity' ? 0.2 + 3.0 / (0.5 + m / 100.0) + 0.05 * noise : 0.3 + m / 95.0 + 0.8 * noise
    }
  }
  return {gt, pred}
}

function check(c: Case, gt: Float32Array, pred: Float32Array): void {
  const valid = c.valid === undefined ? undefined : Uint8Array.from(c.valid)
  const got = scoreDepthImage(
    {width: c.width, height: c.height, data: pred, kind: c.kind},
    {width: c.width, height: c.height, depth: gt, ...(valid ? {valid} : {})},
    c.protocol,
  )
  assert.equal(got.pixels, c.expected.pixels, `${c.name}: valid pixels`)
  if (c.expected.metrics === null) {
    assert.equal(got.metrics, null, `${c.name}: no valid pixel → no metrics`)
    return
  }
  assert.ok(got.metrics !== null)
  for (const name of DEPTH_METRIC_NAMES) {
    assertClose(got.metrics[name], c.expected.metrics[name], relative, absFor(name), `${c.name} ${name}`)
    // The reference printouts (BTS numpy float32, MiDaS torch float32) agree to this tolerance; δ exactly.
    const f = c.float32.metrics![name]
    if (name.startsWith('delta')) assert.equal(got.metrics[name], f, `${c.name} ${name} vs float32 reference`)
    else assertClose(got.metrics[name], f, float32Relative, 1e-5, `${c.name} ${name} vs float32 reference`)
  }
  if (c.expected.scale !== undefined) {
    assertClose(got.scale, c.expected.scale, relative, absolute, `${c.name} scale`)
    assertClose(got.shift, c.expected.shift!, relative, absolute, `${c.name} shift`)
  } else {
    assert.equal(got.scale, undefined)
  }
}

describe('depth metrics against tools/eval_reference.py', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      check(c, f32(c.gt!), f32(c.pred!))
    })
  }
  for (const c of golden.generated) {
    it(`${c.name} (${c.width}×${c.height}, crops ${c.protocol.crops.join('+')})`, () => {
      const {gt, pred} = generated(c.height, c.width, c.kind)
      check(c, gt, pred)
    })
  }

  it('ties: ratios of exactly 1.25, 1.25² and 1.25³ count neither as within nor as above', () => {
    const c = golden.cases.find((x) => x.name === 'delta-ties')!
    const m = scoreDepthImage({width: 6, height: 2, data: f32(c.pred!), kind: 'depth'}, {width: 6, height: 2, depth: f32(c.gt!)}, c.protocol).metrics!
    // 12 pixels: exact float32 ties 1.25 ×5 (1.25, 2.5/2, 1/0.8f, 2/1.6f and 5/4), 1.5625, 1.953125.
    assert.equal(m.delta1, 3 / 12)
    assert.equal(m.delta2, 8 / 12)
    assert.equal(m.delta3, 10 / 12)
    assert.equal(m.deltaAbove125Pct, 100 * (4 / 12))
  })

  it('singular alignment: a constant disparity gets s = t = 0, so every pixel sits at the cap', () => {
    const c = golden.cases.find((x) => x.name === 'singular-constant')!
    const got = scoreDepthImage(
      {width: c.width, height: c.height, data: f32(c.pred!), kind: 'disparity'},
      {width: c.width, height: c.height, depth: f32(c.gt!)},
      c.protocol,
    )
    assert.equal(got.scale, 0)
    assert.equal(got.shift, 0)
  })
})

describe('crops', () => {
  for (const w of golden.windows) {
    it(`${w.crop} on ${w.width}×${w.height} is the reference window`, () => {
      assert.deepEqual(cropWindow(w.crop, w.width, w.height), {top: w.top, bottom: w.bottom, left: w.left, right: w.right})
    })
  }
  it('intersects several crops', () => {
    assert.deepEqual(evaluationWindow(['garg', 'kitti-bench'], 1242, 375), {top: 153, bottom: 371, left: 44, right: 1197})
    assert.deepEqual(evaluationWindow([], 7, 5), {top: 0, bottom: 5, left: 0, right: 7})
  })
  it('refuses crops that do not fit the frame, with a remedy', () => {
    assert.throws(
      () => cropWindow('eigen', 608, 448),
      (e: unknown) => e instanceof DptError && /640×480/.test(e.message) && e.remedy !== undefined,
    )
    assert.throws(
      () => cropWindow('kitti-bench', 1200, 352),
      (e: unknown) => e instanceof DptError && /1216×352/.test(e.message),
    )
  })
})

describe('scoreDepthImage edges', () => {
  const protocol: DepthProtocol = {task: 'depth', alignment: 'none', minDepth: 1e-3, maxDepth: 10, cap: null, crops: [], clip: true}
  it('refuses a prediction of another size', () => {
    assert.throws(
      () => scoreDepthImage({width: 2, height: 2, data: new Float32Array(4), kind: 'depth'}, {width: 2, height: 1, depth: new Float32Array(2)}, protocol),
      DptError,
    )
  })
  it('refuses affine-invariant disparity aligned in depth space', () => {
    const gt = {width: 1, height: 1, depth: Float32Array.of(1)}
    assert.throws(
      () => scoreDepthImage({width: 1, height: 1, data: Float32Array.of(1), kind: 'disparity'}, gt, {...protocol, alignment: 'scale-shift-depth', cap: 10}),
      /depth space/,
    )
  })
})

describe('dataset mean', () => {
  it('averages per-image metrics over scored images, skipping the image without valid pixels', () => {
    const a = golden.aggregate
    const records: DepthImageRecord[] = a.images.map((im) => {
      const s = scoreDepthImage(
        {width: a.width, height: a.height, data: f32(im.pred), kind: a.kind},
        {width: a.width, height: a.height, depth: f32(im.gt)},
        a.protocol,
      )
      return {id: im.id, status: s.metrics === null ? 'no-valid-pixels' : 'scored', pixels: s.pixels, metrics: s.metrics}
    })
    assert.equal(records.filter((r) => r.status === 'scored').length, a.scored)
    const mean = meanDepthMetrics(records)
    for (const name of DEPTH_METRIC_NAMES) assertClose(mean[name], a.mean[name], relative, absolute, `mean ${name}`)
    // Order of the records does not change a bit of the result.
    assert.deepEqual(meanDepthMetrics([...records].reverse()), mean)
  })
  it('a non-finite per-image value (JSON null after a round trip) makes that mean null, either way', () => {
    const m = golden.aggregate.mean
    const rec = (id: string, absRel: number | null): DepthImageRecord => ({id, status: 'scored', pixels: 1, metrics: {...m, absRel} as DepthMetrics})
    assert.equal(meanDepthMetrics([rec('a', 0.1), rec('b', Number.POSITIVE_INFINITY)]).absRel, null)
    assert.equal(meanDepthMetrics([rec('a', 0.1), rec('b', null)]).absRel, null)
    assert.equal(meanDepthMetrics([rec('a', 0.1), rec('b', 0.3)]).absRel, (0.1 + 0.3) / 2)
  })
  it('is null for every metric when nothing was scored', () => {
    const mean = meanDepthMetrics([{id: 'x', status: 'missing-gt', pixels: 0, metrics: null}])
    assert.ok(Object.values(mean).every((v) => v === null))
  })
})
