/**
 * One onnxruntime session per worker thread: session.run is synchronous native work that would block the
 * main thread's event loop (REFERENCE §6), so decoding and writing run there while inference runs here.
 */
import {parentPort, workerData} from 'node:worker_threads'
import * as ort from 'onnxruntime-node'
import {providerFallbackMessage} from './providers.js'
import {sessionOptions} from './session-options.js'
import type {WorkerInit, WorkerReply, WorkerRequest, TensorMeta} from './protocol.js'

const port = parentPort
if (port === null) throw new Error('infer/worker.ts must run in a worker thread')
const init = workerData as WorkerInit
// A missing provider is reported once, by the pool, with a remedy; not as native log noise on stderr.
ort.env.logLevel = 'fatal'

function describe(list: readonly ort.InferenceSession.ValueMetadata[]): TensorMeta[] {
  return list.map((m) => (m.isTensor ? {name: m.name, type: m.type, shape: [...m.shape]} : {name: m.name, type: 'non-tensor', shape: []}))
}

async function createSession(provider: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(init.modelPath, sessionOptions(init, provider))
}

let session: ort.InferenceSession | undefined

async function start(): Promise<void> {
  let provider = init.provider
  let fallbackReason: string | undefined
  try {
    session = await createSession(provider)
  } catch (error) {
    if (provider === 'cpu') throw error
    if (init.strict === true) {
      const reply: WorkerReply = {kind: 'error', id: -1, message: error instanceof Error ? error.message : String(error), provider}
      port!.postMessage(reply)
      return
    }
    fallbackReason = providerFallbackMessage(provider, error instanceof Error ? error.message : String(error))
    provider = 'cpu'
    session = await createSession(provider)
  }
  const reply: WorkerReply = {
    kind: 'ready',
    provider,
    fallbackReason,
    inputs: describe(session.inputMetadata),
    outputs: describe(session.outputMetadata),
  }
  port!.postMessage(reply)
}

async function run(request: Extract<WorkerRequest, {kind: 'run'}>): Promise<void> {
  if (session === undefined) throw new Error('session not ready')
  const started = performance.now()
  const feeds = {[request.inputName]: new ort.Tensor('float32', request.data, request.dims)}
  const results = await session.run(feeds, [request.outputName])
  const out = results[request.outputName]
  if (out === undefined || out.type !== 'float32') throw new Error(`output ${request.outputName} is missing or not float32`)
  const data = out.data as Float32Array
  // Copy out of onnxruntime's buffer so it can be transferred, then release the tensor.
  const copy = new Float32Array(data)
  out.dispose()
  const reply: WorkerReply = {kind: 'result', id: request.id, data: copy, dims: [...out.dims], ms: performance.now() - started}
  port!.postMessage(reply, [copy.buffer])
}

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'close') {
    const s = session
    session = undefined
    void (s?.release() ?? Promise.resolve()).finally(() => {
      port.close()
    })
    return
  }
  run(request).catch((error: unknown) => {
    const reply: WorkerReply = {kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error)}
    port.postMessage(reply)
  })
})

start().catch((error: unknown) => {
  const reply: WorkerReply = {kind: 'error', id: -1, message: error instanceof Error ? error.message : String(error)}
  port.postMessage(reply)
})
