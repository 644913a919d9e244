import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as ort from 'onnxruntime-node'

/** One node event of onnxruntime's profiler (chrome trace format), the fields FLOP counting needs. */
interface NodeEvent {
  readonly cat: string
  readonly name: string
  readonly args?: {
    readonly op_name?: string
    readonly input_type_shape?: readonly Record<string, number[]>[]
    readonly output_type_shape?: readonly Record<string, number[]>[]
  }
}

export interface FlopCount {
  /** 2 × multiply-accumulates of the counted operators, per image. */
  readonly total: number
  readonly byOp: Readonly<Record<string, number>>
}

const prod = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1)
const shapeOf = (entry: Record<string, number[]> | undefined): number[] => (entry === undefined ? [] : (Object.values(entry)[0] ?? []))

/**
 * Multiply-accumulates of one node from the shapes the profiler recorded. The same rules as tools/flops.py
 * (Conv, ConvTranspose, MatMul, Gemm; element-wise ops, norms, softmax and resizes are not counted), plus the
 * int8 forms a dynamically quantised graph runs (MatMulInteger, ConvInteger) and the static QLinear ones.
 */
function macs(op: string, inputs: readonly number[][], outputs: readonly number[][]): number {
  const y = outputs[0] ?? []
  switch (op) {
    case 'Conv':
    case 'ConvInteger':
      // each output: Cin/groups × kh × kw MACs; weight [Cout, Cin/groups, kh, kw]
      return prod(y) * prod((inputs[1] ?? []).slice(1))
    case 'QLinearConv':
      return prod(y) * prod((inputs[3] ?? []).slice(1))
    case 'ConvTranspose':
      // each input element scatters into Cout/groups × kh × kw; weight [Cin, Cout/groups, kh, kw]
      return prod(inputs[0] ?? []) * prod((inputs[1] ?? []).slice(1))
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul':
      return prod(y) * ((inputs[0] ?? []).at(-1) ?? 0)
    case 'Gemm': {
      // K is the dimension A and B share; y = [M, N]
      const a = inputs[0] ?? []
      const [m] = y
      return prod(y) * (a[0] === m && a.length === 2 ? (a[1] ?? 0) : (a[0] ?? 0))
    }
    default:
      return 0
  }
}

/** FLOPs of one inference from a profiler trace (one run of the session). */
export function flopsFromProfile(events: readonly NodeEvent[]): FlopCount {
  const byOp: Record<string, number> = {}
  for (const event of events) {
    const op = event.args?.op_name
    // Each node also has fence_before/after events; the kernel_time one carries the shapes.
    if (event.cat !== 'Node' || op === undefined || !event.name.endsWith('_kernel_time')) continue
    const inputs = (event.args?.input_type_shape ?? []).map(shapeOf)
    const outputs = (event.args?.output_type_shape ?? []).map(shapeOf)
    const flops = 2 * macs(op, inputs, outputs)
    if (flops > 0) byOp[op] = (byOp[op] ?? 0) + flops
  }
  return {total: Object.values(byOp).reduce((a, b) => a + b, 0), byOp}
}

/**
 * Counts a model's FLOPs at each network input size by running it once per size with onnxruntime's profiler on
 * (basic optimisations only and no weight pre-packing, so the profile shows the graph's own Conv/MatMul/Gemm with
 * their weight shapes rather than fused or re-laid-out kernels). The runs are separate from any timing.
 */
export async function profileFlops(onnxPath: string, inputName: string, sizes: readonly {width: number; height: number}[]): Promise<Map<string, FlopCount>> {
  const dir = mkdtempSync(join(tmpdir(), 'dpt-flops-'))
  const counts = new Map<string, FlopCount>()
  try {
    for (const size of sizes) {
      const key = `${size.width}x${size.height}`
      if (counts.has(key)) continue
      const prefix = join(dir, `run-${counts.size}`)
      const session = await ort.InferenceSession.create(onnxPath, {
        enableProfiling: true,
        profileFilePrefix: prefix,
        graphOptimizationLevel: 'basic',
        executionProviders: ['cpu'],
        // Pre-packed weights vanish from the profile's input shapes (ConvTranspose's do): keep them plain.
        extra: {session: {disable_prepacking: '1'}},
      })
      try {
        const pixels = new Float32Array(3 * size.width * size.height)
        const outputs = await session.run({[inputName]: new ort.Tensor('float32', pixels, [1, 3, size.height, size.width])})
        for (const tensor of Object.values(outputs)) tensor.dispose()
      } finally {
        // The binding writes the trace when the session ends profiling (on release).
        session.endProfiling()
        await session.release()
      }
      const file = readdirSync(dir).find((f) => f.startsWith(`run-${counts.size}`) && f.endsWith('.json'))
      if (file === undefined) throw new Error(`onnxruntime wrote no profile for ${key} in ${dir}`)
      counts.set(key, flopsFromProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as NodeEvent[]))
    }
    return counts
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
