import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {RunResult} from '../../src/pipeline/run.js'
import {repoRoot} from './paths.js'

export interface DptRunOptions {
  readonly workers: string
  readonly threads: string
  /** Extra `dpt depth` flags, e.g. ['--dtype', 'q8']. */
  readonly args?: readonly string[]
}

/** `dpt depth <photos> --json` in its own process, as a user runs it, into a scratch folder removed afterwards. */
export function runDptDepth(photos: string, model: string, options: DptRunOptions): Promise<RunResult> {
  const out = mkdtempSync(join(tmpdir(), 'dpt-bench-out-'))
  return new Promise((resolve, reject) => {
    const args = [
      join(repoRoot, 'bin', 'run.js'),
      'depth',
      photos,
      '-o',
      out,
      '--model',
      model,
      '--workers',
      options.workers,
      '--threads',
      options.threads,
      '--json',
      ...(options.args ?? []),
    ]
    const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit']})
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      rmSync(out, {recursive: true, force: true})
      if (code !== 0) reject(new Error(`dpt depth exited ${code}`))
      else resolve(JSON.parse(stdout) as RunResult)
    })
  })
}
