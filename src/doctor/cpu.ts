import {readFileSync} from 'node:fs'
import {availableParallelism, cpus, platform} from 'node:os'

/** Instruction sets onnxruntime's CPU kernels pick from (MLAS): int8 needs VNNI/AMX to be fast, fp16 AVX512-FP16. */
const FEATURES = [
  'sse4_2',
  'avx',
  'avx2',
  'fma',
  'f16c',
  'avx512f',
  'avx512bw',
  'avx512vl',
  'avx512_vnni',
  'avx_vnni',
  'avx512_bf16',
  'avx512_fp16',
  'amx_tile',
  'amx_int8',
  'amx_bf16',
  'asimd',
  'asimddp',
  'sve',
] as const

export interface CpuInfo {
  readonly model: string
  readonly cores: number
  /** Features present, from /proc/cpuinfo; null where it cannot be read (macOS, Windows). */
  readonly features: string[] | null
}

export function cpuInfo(): CpuInfo {
  const model = cpus()[0]?.model.trim() ?? 'unknown'
  const cores = availableParallelism()
  if (platform() !== 'linux') return {model, cores, features: null}
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8')
    const flags = new Set((/^(?:flags|Features)\s*:\s*(.*)$/m.exec(text)?.[1] ?? '').split(/\s+/))
    return {model, cores, features: FEATURES.filter((f) => flags.has(f))}
  } catch {
    return {model, cores, features: null}
  }
}
