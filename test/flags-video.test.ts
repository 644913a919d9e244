import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseSeconds, videoSettings} from '../src/flags-video.js'

describe('video flags', () => {
  it('reads --start and --duration as seconds or [hh:]mm:ss', () => {
    assert.equal(parseSeconds('--start', '12.5'), 12.5)
    assert.equal(parseSeconds('--start', '1:02.5'), 62.5)
    assert.equal(parseSeconds('--start', '01:02:03'), 3723)
    for (const bad of ['', '-1', '1:60', '1:2:3:4', 'ten', '1e3'])
      assert.throws(() => parseSeconds('--start', bad), /Expected --start to be seconds \(12\.5\) or \[hh:\]mm:ss\[\.s\]/)
  })

  it('reads the environment once, with the flags, into the settings', () => {
    const settings = videoSettings(
      {fps: 2, start: undefined, duration: 3, crf: 18, 'side-by-side': false, ffmpeg: undefined, 'segment-frames': 16},
      {DPT_FFMPEG: '/opt/ffmpeg', PATH: '/bin', HOME: '/root'},
    )
    assert.deepEqual(settings, {
      fps: 2,
      start: undefined,
      duration: 3,
      ffmpeg: {path: undefined, env: {DPT_FFMPEG: '/opt/ffmpeg', DPT_FFPROBE: undefined, PATH: '/bin'}},
      segmentFrames: 16,
    })
  })
})
