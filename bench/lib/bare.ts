import {readFile} from 'node:fs/promises'
import * as ort from 'onnxruntime-node'
import {locateModel, type Dtype} from '../../src/model/locate.js'
import {decodeImage, type DecodedImage} from '../../src/pipeline/decode.js'
import {prepareInput} from '../../src/pipeline/preprocess/prepare.js'
import {sessionOptions} from '../../src/pipeline/infer/session-options.js'
import type {WorkerInit} from '../../src/pipeline/infer/protocol.js'
import {kernelBackend} from '../../src/kernels/backend.js'

/**
 * session.run alone, on the tensors the pipeline would feed, with the pipeline's session options and threads:
 * the ceiling the end-to-end run is measured against. Tensors are prepared before timing starts.
 */
export async function bareSessionRun(
  modelDir: string,
  files: readonly string[],
  init: Omit<WorkerInit, 'modelPath'>,
  dtype: Dtype = 'fp32',
): Promise<number[]> {
  return bareSessionRunOn(modelDir, files, async (file) => decodeImage(file, await readFile(file), 1e9, 'high-byte'), init, dtype)
}

/** The same on any images (video frames, decoded beforehand by `image`, one at a time). */
export async function bareSessionRunOn<T>(
  modelDir: string,
  inputs: Iterable<T> | AsyncIterable<T>,
  image: (input: T) => Promise<DecodedImage>,
  init: Omit<WorkerInit, 'modelPath'>,
  dtype: Dtype = 'fp32',
): Promise<number[]> {
  const model = locateModel(modelDir, {dtype})
  if (model.card === undefined) throw new Error(`${modelDir} has no dpt-card.json`)
  const card = model.card
  const session = await ort.InferenceSession.create(model.onnxPath, sessionOptions(init))
  try {
    const ms: number[] = []
    for await (const input of inputs) {
      const prepared = prepareInput(await image(input), card.preprocess, kernelBackend(process.env))
      const feeds = {[card.input.name]: new ort.Tensor('float32', prepared.tensor, prepared.dims)}
      const t0 = performance.now()
      const out = await session.run(feeds, [card.output.name])
      ms.push(performance.now() - t0)
      out[card.output.name]?.dispose()
    }
    return ms
  } finally {
    await session.release()
  }
}
