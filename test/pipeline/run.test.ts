/**
 * The scheduler's shape, proven from outside: a source and a sink written here (an in-memory list of images and
 * an in-memory collector), run through the real scheduler and the real model stages — no edit of run.ts needed.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import sharp from 'sharp'
import {runSettings} from '../../src/flags.js'
import {argumentInputs} from '../../src/pipeline/sources/inputs.js'
import {decodeNpyFloat32} from '../../src/formats/npy.js'
import {DptError} from '../../src/pipeline/errors.js'
import {NotAnImage, type DecodedImage} from '../../src/pipeline/decode.js'
import {LoadedModel} from '../../src/pipeline/infer/model.js'
import {depthPostprocess, type DepthPrediction} from '../../src/pipeline/postprocess/depth.js'
import {runPipeline, type Progress} from '../../src/pipeline/run.js'
import type {ImageSample, PredictionSample} from '../../src/pipeline/sample.js'
import type {Sink} from '../../src/pipeline/sink.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

const MODEL = fixture('models', 'channel-mean')

/** An in-memory source: images that never were files, decoded by returning their pixels. */
function memoryImage(id: string, width: number, height: number, seed: number): ImageSample & {pixels: Uint8Array} {
  const pixels = new Uint8Array(width * height * 3)
  let s = seed
  for (let i = 0; i < pixels.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    pixels[i] = (s >>> 16) & 255
  }
  const image: DecodedImage = {width, height, bitDepth: 8, pixels, format: 'memory'}
  return {kind: 'image', id, label: `memory:${id}`, outStem: id, pixels, read: () => Promise.resolve(pixels), decode: () => Promise.resolve(image)}
}

/** An in-memory sink: keeps a copy of every prediction (the map itself is only lent until consume returns). */
class Collector<P extends {values: Float32Array}> implements Sink<ImageSample, P> {
  readonly got = new Map<string, Float32Array>()
  inFlight = 0
  maxInFlight = 0
  completed = false
  disposed = false

  async consume({sample, prediction}: {sample: ImageSample; prediction: P}): Promise<string[]> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    await new Promise((resolve) => setTimeout(resolve, 5))
    this.got.set(sample.id, Float32Array.from(prediction.values))
    this.inFlight--
    return [`memory/${sample.id}`]
  }

  complete(): Promise<void> {
    this.completed = true
    return Promise.resolve()
  }

  dispose(): Promise<void> {
    this.disposed = true
    return Promise.resolve()
  }
}

let root = ''
let model: LoadedModel
const settings = () => runSettings(argumentInputs(['unused']), {...runDefaults, model: MODEL, output: join(root, 'out')})
const runDefaults = {
  offline: true,
  card: undefined,
  dtype: 'fp32' as const,
  provider: 'cpu' as const,
  workers: 1,
  threads: 1,
  'input-size': undefined,
  'strict-provider': undefined,
  'progress-interval': undefined,
  base: undefined,
  null: false,
  shard: undefined,
  'max-pixels': 1e8,
  'fail-fast': false,
  'pipeline-nice': 0,
  'graph-optimization': 'all' as const,
  'mem-pattern': true,
  'mem-arena': true,
  'skip-existing': false,
  overwrite: false,
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-run-'))
  model = await LoadedModel.load(settings(), 'depth')
})
after(async () => {
  await model.close()
})

describe('runPipeline with a source and a sink defined outside src/', () => {
  it('predicts every in-memory image exactly as dpt depth does for the same pixels saved as a file', async () => {
    const images = [memoryImage('a', 67, 45, 1), memoryImage('b', 40, 90, 2), memoryImage('c', 33, 33, 3)]
    const collector = new Collector<DepthPrediction>()
    const progress: Progress[] = []
    const outcome = await runPipeline({
      samples: images,
      total: images.length,
      model: model.stages(depthPostprocess(model.card, settings().kernels, {reservePng16: false})),
      sinks: [collector],
      inflight: 2,
      failFast: false,
      events: {progress: (p) => progress.push(p)},
    })
    assert.deepEqual(outcome.records.map((r) => r.sample.id).sort(), ['a', 'b', 'c'])
    assert.deepEqual(
      outcome.records.map((r) => r.outputs),
      outcome.records.map((r) => [`memory/${r.sample.id}`]),
    )
    assert.ok(collector.completed && collector.disposed)
    assert.ok(collector.maxInFlight <= 2, `at most inflight samples at once (saw ${collector.maxInFlight})`)
    assert.deepEqual(progress.at(-1), {total: 3, done: 3, failed: 0, skipped: 0})
    for (const record of outcome.records) {
      assert.ok(record.ms.infer > 0 && record.ms.total >= record.ms.infer, 'the scheduler timed the stages')
    }
    // The same pixels as PNG files through the command: the same values, bit for bit.
    const inputs = join(root, 'in')
    mkdirSync(inputs, {recursive: true})
    for (const image of images) {
      const decoded = await image.decode(image.pixels)
      await sharp(image.pixels, {raw: {width: decoded.width, height: decoded.height, channels: 3}})
        .png()
        .toFile(join(inputs, `${image.id}.png`))
    }
    const cli = await runCli(['depth', inputs, '-o', join(root, 'cli'), '--model', MODEL, '--format', 'npy'])
    assert.equal(cli.code, 0, cli.stderr)
    for (const image of images) {
      const written = decodeNpyFloat32(readFileSync(join(root, 'cli', `${image.id}.npy`))).data
      assert.deepEqual(collector.got.get(image.id), written, image.id)
    }
  })

  it('keys failures by sample, skips what is no image, and stops on a run-stopping error', async () => {
    const good = memoryImage('good', 20, 20, 4)
    const broken: ImageSample = {...memoryImage('broken', 20, 20, 5), decode: () => Promise.reject(new Error('corrupt'))}
    const text: ImageSample = {...memoryImage('notes.txt', 20, 20, 5), decode: () => Promise.reject(new NotAnImage('notes.txt'))}
    const outcome = await runPipeline({
      samples: [good, broken, text],
      total: 3,
      model: model.stages(depthPostprocess(model.card, 'typescript', {reservePng16: false})),
      sinks: [new Collector<DepthPrediction>()],
      inflight: 1,
      failFast: false,
    })
    assert.deepEqual(
      outcome.failures.map((f) => [f.sample.id, f.reason]),
      [['broken', 'corrupt']],
    )
    assert.deepEqual(
      outcome.records.map((r) => r.sample.id),
      ['good'],
    )
    assert.deepEqual(
      outcome.notImages.map((s) => s.id),
      ['notes.txt'],
    )

    const stopper: Sink<ImageSample, DepthPrediction> = {
      consume: () => Promise.reject(new DptError('disk full', {abortsRun: true})),
    }
    const samples = [memoryImage('x', 20, 20, 6), memoryImage('y', 20, 20, 7), memoryImage('z', 20, 20, 8)]
    await assert.rejects(
      runPipeline({
        samples,
        total: 3,
        model: model.stages(depthPostprocess(model.card, 'wasm', {reservePng16: false})),
        sinks: [stopper],
        inflight: 1,
        failFast: false,
      }),
      /disk full/,
    )
  })

  it('runs loaded predictions (no model) through the same sinks, from an async source', async () => {
    async function* predictions(): AsyncGenerator<PredictionSample<{width: number; height: number; values: Float32Array}>> {
      for (const id of ['p', 'q']) {
        yield {
          kind: 'prediction',
          id,
          label: id,
          outStem: id,
          load: () => Promise.resolve({width: 2, height: 1, values: Float32Array.of(id === 'p' ? 1 : 2, 3)}),
        }
      }
    }
    const collector: Sink<PredictionSample<{width: number; height: number; values: Float32Array}>, {width: number; height: number; values: Float32Array}> & {
      seen: string[]
    } = {
      seen: [],
      consume({sample, size, prediction}) {
        this.seen.push(`${sample.id}:${size.width}x${size.height}:${prediction.values.join(',')}`)
        return Promise.resolve([])
      },
    }
    const outcome = await runPipeline({samples: predictions(), total: 2, model: undefined, sinks: [collector], inflight: 1, failFast: false})
    assert.deepEqual(collector.seen, ['p:2x1:1,3', 'q:2x1:2,3'])
    assert.equal(outcome.records.length, 2)
  })
})

describe('runPipeline when the source fails', () => {
  it('finishes the samples in flight, disposes the sinks, then reports the source error', async () => {
    const collector = new Collector<DepthPrediction>()
    async function* breaking(): AsyncGenerator<ImageSample> {
      yield memoryImage('first', 24, 24, 9)
      throw new Error('stream broke')
    }
    await assert.rejects(
      runPipeline({
        samples: breaking(),
        total: 2,
        model: model.stages(depthPostprocess(model.card, 'wasm', {reservePng16: false})),
        sinks: [collector],
        inflight: 2,
        failFast: false,
      }),
      /stream broke/,
    )
    assert.ok(collector.got.has('first'), 'the sample already taken was finished')
    assert.ok(collector.disposed && !collector.completed)
  })
})
