import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {benchCache, repoRoot} from './paths.js'

export const venvPython = (): string => join(process.env.DPT_TOOLS_VENV ?? join(repoRoot, 'tools', '.venv'), 'bin', 'python')

/**
 * A full-size random-weight model folder for benchmarks (speed does not depend on weight values), exported once
 * by tools/export_random.py into the bench cache and reused.
 */
export function ensureBenchModel(arch: string): string {
  const dir = join(benchCache, arch)
  if (existsSync(join(dir, 'onnx', 'model.onnx'))) return dir
  if (!existsSync(venvPython())) {
    console.error('Setting up the Python tooling (tools/setup-venv.sh) to export benchmark models…')
    const setup = spawnSync('bash', [join(repoRoot, 'tools', 'setup-venv.sh')], {stdio: 'inherit'})
    if (setup.status !== 0) throw new Error('tools/setup-venv.sh failed')
  }
  console.error(`Exporting a full-size random-weight ${arch} to ${dir} (once; a few minutes)…`)
  const run = spawnSync(venvPython(), [join(repoRoot, 'tools', 'export_random.py'), '--arch', arch, '--out', dir], {stdio: 'inherit'})
  if (run.status !== 0) throw new Error(`tools/export_random.py --arch ${arch} failed`)
  return dir
}
