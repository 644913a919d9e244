import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runDptJson} from './cli.js'
import {type RunResult} from '../../src/pipeline/images.js'

export interface DptRunOptions {
  readonly workers: string
  readonly threads: string
  /** Extra `dpt depth` flags, e.g. ['--dtype', 'q8']. */
  readonly args?: readonly string[]
}

/** `dpt depth <photos> --json` in its own process, as a user runs it, into a scratch folder removed afterwards. */
export async function runDptDepth(photos: string, model: string, options: DptRunOptions): Promise<RunResult> {
  const out = mkdtempSync(join(tmpdir(), 'dpt-bench-out-'))
  try {
    return await runDptJson<RunResult>([
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
      ...(options.args ?? []),
    ])
  } finally {
    rmSync(out, {recursive: true, force: true})
  }
}
