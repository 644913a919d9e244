import {execFile} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export interface ProbeResult {
  /** A session of the probe model could be created on the provider, and it ran. */
  readonly usable: boolean
  /** Why not: the session's error, first line. */
  readonly error?: string
}

const CHILD = fileURLToPath(new URL('./probe-child.js', import.meta.url))
/** TensorRT builds an engine even for the probe; anything slower than this is reported as a failure. */
const TIMEOUT_MS = 120_000

/**
 * onnxruntime's message without its source location and failed assertion: "/onnxruntime_src/…/webgpu_context.cc:136
 * …<lambda()> adapter_result.status == … was false. Failed to get a WebGPU adapter: No supported adapters" says
 * "Failed to get a WebGPU adapter: No supported adapters".
 */
export function shortError(message: string): string {
  const line = (message.split('\n')[0] ?? '').trim()
  const assertion = / was false\. (.+)$/.exec(line)
  return (assertion?.[1] ?? line.replace(/^\/onnxruntime_src\/\S+:\d+ \S+ /, '')).trim()
}

/**
 * Whether a provider really works here: a session is created with it and run once, in a child process
 * (probe-child.ts). Library files being present is not enough: a CUDA provider without a driver, or WebGPU
 * without an adapter, fail only when a session starts.
 */
export function probeProvider(provider: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CHILD, provider], {timeout: TIMEOUT_MS, maxBuffer: 1 << 20}, (error, stdout) => {
      const line = stdout.trim().split('\n').pop() ?? ''
      try {
        const result = JSON.parse(line) as ProbeResult
        resolve(result.error === undefined ? result : {usable: result.usable, error: shortError(result.error)})
      } catch {
        const how =
          error?.killed === true
            ? `timed out after ${TIMEOUT_MS / 1000} s`
            : error?.signal
              ? `crashed (${error.signal})`
              : `failed (${error?.message ?? 'no output'})`
        resolve({usable: false, error: `the probe ${how}`})
      }
    })
  })
}
