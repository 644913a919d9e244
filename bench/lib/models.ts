import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {benchCache, repoRoot} from './paths.js'

export const venvPython = (): string => join(process.env.DPT_TOOLS_VENV ?? join(repoRoot, 'tools', '.venv'), 'bin', 'python')

/** Runs a tools/ script with the Python tooling, setting the virtualenv up first when it is missing. */
function runTool(script: string, args: readonly string[]): void {
  if (!existsSync(venvPython())) {
    console.error('Setting up the Python tooling (tools/setup-venv.sh) for benchmark models…')
    const setup = spawnSync('bash', [join(repoRoot, 'tools', 'setup-venv.sh')], {stdio: 'inherit'})
    if (setup.status !== 0) throw new Error('tools/setup-venv.sh failed')
  }
  const run = spawnSync(venvPython(), [join(repoRoot, 'tools', script), ...args], {stdio: 'inherit'})
  if (run.status !== 0) throw new Error(`tools/${script} ${args.join(' ')} failed`)
}

/**
 * A full-size random-weight model folder for benchmarks (speed does not depend on weight values), exported once
 * by tools/export_random.py into the bench cache and reused.
 */
export function ensureBenchModel(arch: string): string {
  const dir = join(benchCache, arch)
  if (existsSync(join(dir, 'onnx', 'model.onnx'))) return dir
  console.error(`Exporting a full-size random-weight ${arch} to ${dir} (once; a few minutes)…`)
  runTool('export_random.py', ['--arch', arch, '--out', dir])
  return dir
}

/** A one-MatMul graph (tools/make_matmul.py) for the machine's practical GEMM peak. */
export function ensureMatmulModel(dtype: 'fp32' | 'int8', m: number, k: number, n: number): string {
  const file = join(benchCache, `matmul-${dtype}-${m}x${k}x${n}.onnx`)
  if (!existsSync(file)) runTool('make_matmul.py', ['--dtype', dtype, '--m', String(m), '--k', String(k), '--n', String(n), '--out', file])
  return file
}
