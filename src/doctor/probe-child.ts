/**
 * `node probe-child.js PROVIDER`: creates a session of the probe model on one execution provider and runs it
 * once, then prints {"usable": true} or {"usable": false, "error": "..."} on stdout. A process of its own, so a
 * provider library that crashes or floods stderr (onnxruntime, Dawn's Vulkan loader) cannot take dpt doctor along.
 */
import * as ort from 'onnxruntime-node'
import {PROBE_DIMS, PROBE_INPUT, PROBE_OUTPUT, probeModel} from './probe-model.js'

const provider = process.argv[2] ?? 'cpu'
ort.env.logLevel = 'fatal'

async function probe(): Promise<{usable: boolean; error?: string}> {
  try {
    const session = await ort.InferenceSession.create(probeModel(), {executionProviders: [provider], logSeverityLevel: 4})
    const input = new ort.Tensor('float32', Float32Array.from([-1, 2, -3, 4]), [...PROBE_DIMS])
    const output = (await session.run({[PROBE_INPUT]: input}))[PROBE_OUTPUT]
    const values = output === undefined ? [] : Array.from(output.data as Float32Array)
    await session.release()
    // Relu of the input: a provider that runs but computes garbage is not usable either.
    if (values.join(',') !== '0,2,0,4') return {usable: false, error: `the probe model computed [${values.join(', ')}] instead of [0, 2, 0, 4]`}
    return {usable: true}
  } catch (error) {
    return {usable: false, error: error instanceof Error ? error.message : String(error)}
  }
}

process.stdout.write(`${JSON.stringify(await probe())}\n`)
