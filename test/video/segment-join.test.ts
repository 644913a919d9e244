import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {concatList} from '../../src/video/segment-join.js'

describe('concatList', () => {
  it('places every segment at its own first timestamp to the microsecond, however many segments (no drift)', () => {
    // 29.97 frames/s in 1/30000: 1001 ticks a frame, 33366.67 µs, never a whole number of microseconds.
    const timeBase = {num: 1, den: 30000}
    const segments = Array.from({length: 900}, (_, k) => ({path: `/p/${k}.mp4`, firstPts: 5005 + k * 256 * 1001}))
    const list = concatList({codec: 'h264', segments, timeBase, path: '/p/out.mp4', listPath: '/p/list.txt'})
    const durations = [...list.matchAll(/^duration (\d+)\.(\d{6})$/gm)].map((m) => Number(m[1]) * 1e6 + Number(m[2]))
    assert.equal(durations.length, segments.length - 1)
    let at = 0
    for (let k = 1; k < segments.length; k++) {
      at += durations[k - 1]!
      const exact = ((segments[k]!.firstPts - segments[0]!.firstPts) * 1e6) / 30000
      assert.ok(Math.abs(at - exact) <= 0.5, `segment ${k} at ${at} µs, exactly ${exact}`)
    }
    assert.match(list, /^ffconcat version 1\.0\nfile '\/p\/0\.mp4'\nduration 8\.541867\n/)
  })

  it("quotes paths with quotes in them as ffmpeg's concat demuxer reads them", () => {
    const list = concatList({
      codec: 'ffv1-gray16',
      segments: [{path: "/a/it's.nut", firstPts: 0}],
      timeBase: {num: 1, den: 1000},
      path: '/a/o.mkv',
      listPath: '/a/l',
    })
    assert.equal(list, "ffconcat version 1.0\nfile '/a/it'\\''s.nut'\n")
  })
})
