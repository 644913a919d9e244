import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {defaultDepthProtocol, defaultSegmentProtocol, resolveDepthProtocol} from '../../src/eval/protocol.js'
import {DptError} from '../../src/pipeline/errors.js'

describe('protocol defaults', () => {
  it('relative models: MiDaS/DPT zero-shot (scale-shift in disparity, NYU cap 10 m, KITTI 80 m, no clip)', () => {
    assert.deepEqual(defaultDepthProtocol('nyu', 'disparity'), {
      task: 'depth',
      alignment: 'scale-shift-disparity',
      minDepth: 1e-3,
      maxDepth: 10,
      cap: 10,
      crops: [],
      clip: false,
    })
    assert.equal(defaultDepthProtocol('kitti', 'disparity').cap, 80)
  })
  it('metric models: BTS (no alignment, clip, Eigen crop on NYU, Garg on KITTI)', () => {
    assert.deepEqual(defaultDepthProtocol('nyu', 'depth'), {
      task: 'depth',
      alignment: 'none',
      minDepth: 1e-3,
      maxDepth: 10,
      cap: null,
      crops: ['eigen'],
      clip: true,
    })
    assert.deepEqual(defaultDepthProtocol('kitti', 'depth').crops, ['garg'])
    assert.equal(defaultDepthProtocol('kitti', 'depth').maxDepth, 80)
  })
  it('ADE20K: 150 classes, ignore 255, reduce-zero-label, single scale', () => {
    assert.deepEqual(defaultSegmentProtocol(), {task: 'segment', numClasses: 150, ignoreIndex: 255, reduceZeroLabel: true, scales: [1], flip: false})
  })
})

describe('overrides, validated once', () => {
  it('each given override replaces its default; null removes the cap', () => {
    const p = resolveDepthProtocol('kitti', 'depth', {crops: ['garg', 'kitti-bench'], maxDepth: 50, cap: null})
    assert.deepEqual(p, {task: 'depth', alignment: 'none', minDepth: 1e-3, maxDepth: 50, cap: null, crops: ['garg', 'kitti-bench'], clip: true})
  })
  const refuses = (f: () => unknown, pattern: RegExp): void => {
    assert.throws(f, (e: unknown) => e instanceof DptError && pattern.test(e.message) && e.remedy !== undefined)
  }
  it('rejects impossible ranges, caps and pairings with a remedy', () => {
    refuses(() => resolveDepthProtocol('nyu', 'depth', {minDepth: 10, maxDepth: 1}), /min depth < max depth/)
    refuses(() => resolveDepthProtocol('nyu', 'depth', {cap: 0}), /positive depth cap/)
    refuses(() => resolveDepthProtocol('nyu', 'disparity', {alignment: 'scale-shift-depth'}), /depth space/)
    refuses(() => resolveDepthProtocol('nyu', 'disparity', {cap: null}), /needs a depth cap/)
    refuses(() => resolveDepthProtocol('eth3d', 'depth', {maxDepth: Number.POSITIVE_INFINITY}), /--clip needs a finite max depth/)
    refuses(() => resolveDepthProtocol('nyu', 'depth', {crops: ['center' as never]}), /Unknown crop/)
  })
  it('an unbounded range is fine without clipping', () => {
    assert.equal(resolveDepthProtocol('eth3d', 'disparity', {maxDepth: Number.POSITIVE_INFINITY}).maxDepth, Number.POSITIVE_INFINITY)
  })
})
