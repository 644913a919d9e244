import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {repoRoot} from './fixtures.js'

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs bin/run.js as a user would, in its own process (worker threads, exit codes, signals and all). */
export function runCli(
  args: readonly string[],
  options: {
    cwd?: string
    env?: NodeJS.ProcessEnv
    interruptWhen?: () => boolean
    /** Piped to stdin (otherwise stdin is empty). */ input?: string | Buffer
  } = {},
): Promise<CliResult & {interrupted: boolean}> {
  return new Promise((resolve, reject) => {
    // options.env is laid over this process's environment; a variable set to undefined there is removed.
    const env = Object.fromEntries(Object.entries({...process.env, ...options.env}).filter(([, v]) => v !== undefined))
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    // Closed at once when there is no input: the command reads end-of-file, as from /dev/null.
    child.stdin.end(options.input ?? '')
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    let interrupted = false
    // Sends one SIGINT, as Ctrl-C would, as soon as the condition holds.
    const poll =
      options.interruptWhen === undefined
        ? undefined
        : setInterval(() => {
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
