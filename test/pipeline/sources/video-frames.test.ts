import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import type {ImageSample} from '../../../src/pipeline/sample.js'
import {videoFrameSamples} from '../../../src/pipeline/sources/video-frames.js'
import type {FileSample} from '../../../src/pipeline/sources/files.js'
import type {VideoJob} from '../../../src/pipeline/sources/video-job.js'
import {probeVideo} from '../../../src/video/probe.js'
import {makeClip, tempDir, testFfmpeg} from '../../helpers/video-clips.js'

/** A full garbage collection, a task apart twice (array buffers and weak references are cleared after one). */
async function collect(): Promise<void> {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
  }
}

/** Decodes a frame sample as the scheduler does and lets go of the image: a weak reference to its pixels. */
async function decodedPixels(sample: ImageSample): Promise<WeakRef<ArrayBufferLike>> {
  const image = await sample.decode(await sample.read())
  assert.equal(image.pixels.length, 64 * 48 * 3)
  return new WeakRef(image.pixels.buffer)
}

describe('videoFrameSamples', () => {
  it('lets a frame’s pixels go once decoded, while the sample itself is still held (as the run’s records hold it)', async () => {
    const dir = tempDir('video-frames')
    const install = await testFfmpeg()
    const path = await makeClip(dir, 'clip', {width: 64, height: 48, frames: 6})
    const probe = await probeVideo(install, path)
    const job: VideoJob = {
      id: 'clip.mp4',
      label: 'clip.mp4',
      path,
      outStem: 'clip',
      probe,
      install,
      partialDir: join(dir, 'partial'),
      resumeFrom: 0,
      segmentFrames: 100,
      audio: undefined,
      stream: undefined,
      broken: undefined,
    }
    const events = {onStart: async () => undefined, onDone: async () => undefined, onWarning: () => undefined}
    const held: FileSample[] = []
    const pixels: WeakRef<ArrayBufferLike>[] = []
    for await (const sample of videoFrameSamples(job, {}, events)) {
      pixels.push(await decodedPixels(sample))
      held.push(sample)
    }
    assert.equal(held.length, 6)
    await collect()
    assert.deepEqual(
      pixels.map((p) => p.deref() === undefined),
      held.map(() => true),
      'every frame’s pixel buffer is collected',
    )
    // The samples (ids, labels, frame positions) are still there for the run's report.
    assert.deepEqual(
      held.map((s) => s.id),
      [0, 1, 2, 3, 4, 5].map((k) => `clip.mp4#${k}`),
    )
    await assert.rejects(held[0]!.decode(new Uint8Array(0)), /frame 0 was decoded once already/)
  })
})
