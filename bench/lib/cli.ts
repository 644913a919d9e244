import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {repoRoot} from './paths.js'

/** Runs `dpt ARGS --json` in its own process (as a user would) and returns the parsed summary. */
export function runDptJson<T>(args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args, '--json'], {stdio: ['ignore', 'pipe', 'inherit']})
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`dpt ${args[0]} exited ${code}`))
      else resolve(JSON.parse(stdout) as T)
    })
  })
}
