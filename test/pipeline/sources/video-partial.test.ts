import assert from 'node:assert/strict'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {
  fingerprintOf,
  partialDirOf,
  planVideo,
  segmentPath,
  writeManifest,
  writeRunFile,
  writeStableState,
  type VideoOutputs,
} from '../../../src/pipeline/sources/video-partial.js'
import {frameStem} from '../../../src/pipeline/sources/video-job.js'
import {tempDir} from '../../helpers/video-clips.js'

describe('planVideo (resuming a video)', () => {
  it('resumes at the last segment boundary before the first missing frame or unfinished segment, with a saved state', async () => {
    const root = tempDir('partial')
    const out = join(root, 'out')
    const source = join(root, 'clip.mp4')
    writeFileSync(source, 'not really a video')
    const partialDir = partialDirOf(out, 'clip')
    assert.equal(partialDir, join(out, '.clip.dpt-partial'))
    const outputs: VideoOutputs = {
      perFrame: (stem) => [join(out, `${stem}.png`)],
      finals: [join(out, 'clip.depth.mkv')],
      segmented: [{name: 'mkv16', extension: '.nut'}],
      stable: true,
      restart: false,
    }
    const modelFile = join(root, 'model.onnx')
    writeFileSync(modelFile, 'graph')
    const model = {path: modelFile, reads: 'input size of the card, 16-bit high-byte'}
    const fields = {fps: null, start: null, duration: null, segmentFrames: 4, normalize: 'stable ema 0.1', outputs: 'colormap inferno, crf 18'}
    const fingerprint = await fingerprintOf(source, model, fields)
    const plan = (policy: 'refuse' | 'skip' | 'overwrite', options: Partial<VideoOutputs> = {}, print = fingerprint) =>
      planVideo({
        policy,
        partialDir,
        videoDir: join(out, 'clip'),
        outputs: {...outputs, ...options},
        fingerprint: print,
        segmentFrames: 4,
        frameStemOf: (k) => frameStem('clip', k),
      })
    assert.deepEqual(await plan('skip'), {kind: 'fresh'})
    assert.deepEqual(await plan('refuse'), {kind: 'fresh'})

    // An interrupted run: frames 0–9 written, segments 0 and 1 finished, states before frames 4 and 8 saved.
    mkdirSync(join(out, 'clip'), {recursive: true})
    for (let k = 0; k < 10; k++) writeFileSync(join(out, `${frameStem('clip', k)}.png`), '')
    await writeRunFile(partialDir, fingerprint)
    mkdirSync(join(partialDir, 'mkv16'))
    for (const k of [0, 1]) writeFileSync(segmentPath(partialDir, 'mkv16', k, '.nut'), '')
    const segments = [0, 1].map((index) => ({index, firstPts: index * 4, frames: 4, final: false}))
    await writeManifest(partialDir, 'mkv16', {timeBase: {num: 1, den: 25}, segments})
    const state = {reference: null, lo: 0, hi: 1}
    for (const boundary of [4, 8]) await writeStableState(partialDir, boundary, state)
    assert.deepEqual(await plan('skip'), {kind: 'resume', from: 8})
    // Without a saved state at 8, one segment earlier.
    rmSync(join(partialDir, 'stable', '000008.json'))
    assert.deepEqual(await plan('skip'), {kind: 'resume', from: 4})
    // Per-frame outputs only, no stabiliser: at the first missing frame.
    assert.deepEqual(await plan('skip', {segmented: [], stable: false, finals: []}), {kind: 'resume', from: 10})
    // A frame missing inside a finished segment takes the resume back before it.
    await writeStableState(partialDir, 8, state)
    rmSync(join(out, `${frameStem('clip', 5)}.png`))
    assert.deepEqual(await plan('skip'), {kind: 'resume', from: 4})
    // A final segment is done again (the resumed run must decode a frame to finish the video).
    writeFileSync(join(out, `${frameStem('clip', 5)}.png`), '')
    await writeManifest(partialDir, 'mkv16', {timeBase: {num: 1, den: 25}, segments: [segments[0]!, {...segments[1]!, final: true}]})
    assert.deepEqual(await plan('skip'), {kind: 'resume', from: 4})
    // Global normalisation: from the first frame.
    assert.deepEqual(await plan('skip', {restart: true}), {kind: 'resume', from: 0})
    // Other settings than the unfinished run's: not resumed.
    const reasonWith = async (print: typeof fingerprint): Promise<string> => {
      const p = await plan('skip', {}, print)
      assert.ok(p.kind === 'mismatch', `expected mismatch, got ${p.kind}`)
      return p.reason
    }
    assert.match(await reasonWith({...fingerprint, segmentFrames: 8}), /other settings: the segment length$/)
    assert.match(
      await reasonWith({...fingerprint, outputs: 'colormap turbo, crf 18'}),
      /other settings: the output options \(then: colormap inferno, crf 18; now: colormap turbo, crf 18\)$/,
    )
    assert.match(await reasonWith(await fingerprintOf(source, {...model, reads: 'input size 384×384, 16-bit high-byte'}, fields)), /: the model/)
    // Another model file at the same path (a re-export): its size or time differs.
    writeFileSync(modelFile, 'another graph')
    assert.match(await reasonWith(await fingerprintOf(source, model, fields)), /other settings: the model or its input size/)
    // Without a flag, an unfinished video is an existing output; --overwrite starts afresh.
    const refused = await plan('refuse')
    assert.ok(refused.kind === 'exists', `expected exists, got ${refused.kind}`)
    assert.ok(refused.paths.includes(partialDir))
    assert.deepEqual(await plan('overwrite'), {kind: 'fresh'})
    // Finished (no partial folder, the encoded video there): done.
    rmSync(partialDir, {recursive: true})
    writeFileSync(join(out, 'clip.depth.mkv'), '')
    assert.deepEqual(await plan('skip'), {kind: 'done'})
  })
})
