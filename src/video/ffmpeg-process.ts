import {type ChildProcess, spawn} from 'node:child_process'
import {lastLines} from './run-tool.js'

/** How a streaming ffmpeg process ended. */
export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** A long-running ffmpeg (decoder or encoder) with pipes, the end of its stderr, and a clean way to stop it. */
export class FfmpegProcess {
  readonly child: ChildProcess
  readonly exited: Promise<Exit>
  #stderr = ''
  #spawnError: Error | undefined

  /** Keeps this much of stderr: ffmpeg writes its reasons last, and a long run must not grow memory. */
  static readonly STDERR_LIMIT = 64 * 1024

  constructor(path: string, args: readonly string[], stdin: 'pipe' | 'ignore') {
    this.child = spawn(path, args, {stdio: [stdin, 'pipe', 'pipe'], windowsHide: true})
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-FfmpegProcess.STDERR_LIMIT)
    })
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.#spawnError = error
      })
      this.child.on('close', (code, signal) => {
        resolve({code, signal})
      })
    })
  }

  /** Everything ffmpeg said on stderr so far (the last STDERR_LIMIT characters). */
  get stderr(): string {
    return this.#stderr
  }

  /** A one-line reason for a failure: the spawn error, or the last lines ffmpeg printed. */
  reason(): string {
    return this.#spawnError?.message ?? (lastLines(this.#stderr, 3) || 'no message')
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /**
   * Stops ffmpeg: SIGTERM (it closes its outputs and exits), SIGKILL if it has not exited after `graceMs`.
   * Resolves when the process is gone, so no child outlives an aborted run.
   */
  async stop(graceMs = 2000): Promise<Exit> {
    if (this.running) {
      this.child.kill('SIGTERM')
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
      try {
        return await this.exited
      } finally {
        clearTimeout(timer)
      }
    }
    return this.exited
  }
}
