import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {Sink, SinkItem} from '../../../src/pipeline/sink.js'
import {FrameOrderSink} from '../../../src/pipeline/sinks/frame-order.js'
import type {FileSample} from '../../../src/pipeline/sources/files.js'
import type {FrameSample, VideoJob} from '../../../src/pipeline/sources/video-job.js'

/** A video job with only what ordering reads. */
const job = (resumeFrom = 0): VideoJob => ({resumeFrom, broken: undefined}) as unknown as VideoJob

const frame = (video: VideoJob, index: number, name = 'v'): FrameSample =>
  ({
    kind: 'image',
    id: `${name}#${index}`,
    label: `${name} [frame ${index}]`,
    outStem: `${name}/${index}`,
    path: name,
    frame: {job: video, index, pts: index, last: false},
  }) as unknown as FrameSample

const item = (sample: FileSample): SinkItem<FileSample, number> => ({sample, size: {width: 1, height: 1}, image: undefined, prediction: 0})

/** A sink that records the frames it sees, each taking a moment (so later ones catch up). */
function recorder(): Sink<FileSample, number> & {seen: string[]} {
  const seen: string[] = []
  return {
    seen,
    async consume({sample}) {
      await new Promise((resolve) => setTimeout(resolve, 2))
      seen.push(sample.id)
      return []
    },
  }
}

describe('FrameOrderSink', () => {
  it('hands each video its frames in order whatever order they arrive in, videos and still images independently', async () => {
    const target = recorder()
    const sink = new FrameOrderSink([target])
    const [a, b] = [job(), job(4)]
    const still = {kind: 'image', id: 'photo', label: 'photo', outStem: 'photo', path: 'photo'} as unknown as FileSample
    const arrivals = [...[3, 1, 0, 2].map((k) => frame(a, k, 'a')), ...[5, 4].map((k) => frame(b, k, 'b')), still]
    await Promise.all(arrivals.map((sample) => sink.consume(item(sample))))
    assert.deepEqual(
      target.seen.filter((id) => id.startsWith('a#')),
      ['a#0', 'a#1', 'a#2', 'a#3'],
    )
    // The second video resumes at frame 4: its turns start there.
    assert.deepEqual(
      target.seen.filter((id) => id.startsWith('b#')),
      ['b#4', 'b#5'],
    )
    assert.ok(target.seen.includes('photo'))
  })

  it('passes the turn over a dropped frame, and marks its video broken', async () => {
    const target = recorder()
    const sink = new FrameOrderSink([target])
    const video = job()
    const later = sink.consume(item(frame(video, 2)))
    const next = sink.consume(item(frame(video, 0)))
    await next
    sink.dropped(frame(video, 1))
    await later
    assert.deepEqual(target.seen, ['v#0', 'v#2'])
    assert.equal(video.broken, 'frame 1 was not processed')
    // A frame dropped after it went through (a later sink failed) changes nothing in the order.
    sink.dropped(frame(video, 0))
    await sink.consume(item(frame(video, 3)))
    assert.deepEqual(target.seen, ['v#0', 'v#2', 'v#3'])
  })
})
