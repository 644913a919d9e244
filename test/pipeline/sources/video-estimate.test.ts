import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {estimateFrames} from '../../../src/pipeline/sources/video-estimate.js'
import type {VideoProbe} from '../../../src/video/probe.js'

const probe = (frameCount: number | undefined): VideoProbe =>
  ({
    duration: 10,
    video: {duration: 10, frameCount, frameRate: {num: 30000, den: 1001}, averageFrameRate: {num: 25, den: 1}},
  }) as unknown as VideoProbe

describe('estimateFrames', () => {
  it('counts the frames a decode will give, for the progress total', () => {
    const none = {fps: undefined, start: undefined, duration: undefined}
    assert.equal(estimateFrames(probe(251), none), 251)
    assert.equal(estimateFrames(probe(undefined), none), 250)
    assert.equal(estimateFrames(probe(251), {...none, start: 4}), 150)
    assert.equal(estimateFrames(probe(251), {...none, start: 4, duration: 2}), 50)
    assert.equal(estimateFrames(probe(251), {fps: 2.5, start: 9, duration: 5}), 3)
    assert.equal(estimateFrames(probe(251), {...none, start: 20}), 1)
  })
})
