import type {InferenceSession} from 'onnxruntime-node'
import type {WorkerInit} from './protocol.js'

/** onnxruntime session options of a worker; the benchmark's bare session.run uses the very same. */
export function sessionOptions(init: Omit<WorkerInit, 'modelPath'>, provider = init.provider): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: init.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: init.graphOptimizationLevel,
    enableCpuMemArena: init.memArena,
    enableMemPattern: init.memPattern,
    logSeverityLevel: 3,
    // Spinning threads would steal the cores that decoding and writing need between runs.
    extra: {session: {'intra_op.allow_spinning': init.spin ? '1' : '0'}},
  }
}
