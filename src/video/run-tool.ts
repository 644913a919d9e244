import {execFile} from 'node:child_process'

/** What a finished tool run printed. */
export interface ToolOutput {
  readonly stdout: string
  readonly stderr: string
}

/** A tool that exited with an error; `stderr` keeps the end of what it said (ffmpeg puts its reason last). */
export class ToolFailed extends Error {
  readonly stderr: string
  readonly exitCode: number | string | undefined
  constructor(tool: string, exitCode: number | string | undefined, stderr: string, cause?: unknown) {
    super(`${tool} failed (${exitCode ?? 'no exit code'}): ${lastLines(stderr, 3) || 'no message'}`, cause === undefined ? undefined : {cause})
    this.name = 'ToolFailed'
    this.stderr = stderr
    this.exitCode = exitCode
  }
}

/** The last `n` non-empty lines of a tool's message, joined by " | ". */
export function lastLines(text: string, n: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(-n)
    .join(' | ')
}

/**
 * Runs a short-lived tool (ffprobe, `ffmpeg -version`) to completion and returns what it printed.
 * `maxBuffer` bounds memory: ffprobe's frame lists are the largest outputs here.
 */
export async function runTool(path: string, args: readonly string[], options: {timeoutMs?: number; maxBuffer?: number} = {}): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      args,
      {encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024, windowsHide: true},
      (error, stdout, stderr) => {
        if (error === null) resolve({stdout, stderr})
        else {
          const spawnError = (error as NodeJS.ErrnoException).code
          const code = typeof spawnError === 'string' ? spawnError : (error as {code?: number}).code
          reject(new ToolFailed(path, code, stderr || error.message, error))
        }
      },
    )
  })
}
