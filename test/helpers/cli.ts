import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {repoRoot} from './fixtures.js'

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs bin/run.js as a user would, in its own process (worker threads, exit codes, signals and all). */
export function runCli(args: readonly string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; interruptWhen?: () => boolean} = {}): Promise<CliResult & {interrupted: boolean}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {cwd: options.cwd ?? repoRoot, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    let interrupted = false
    // Sends one SIGINT, as Ctrl-C would, as soon as the condition holds.
    const poll = options.interruptWhen === undefined ? undefined : setInterval(() => {
      if (!interrupted && options.interruptWhen!()) {
        interrupted = true
        child.kill('SIGINT')
      }
    }, 5)
    child.on('error', reject)
    child.on('close', (code) => {
      clearInterval(poll)
      resolve({code, stdout, stderr, interrupted})
    })
  })
}
