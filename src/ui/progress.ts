import cliProgress from 'cli-progress'
import type {Progress, RunEvents} from '../pipeline/run.js'
import {barLine, progressLine} from './progress-line.js'

export interface ProgressOptions {
  /** A live bar: stderr is a terminal and --json is off. */
  readonly bar: boolean
  /** Seconds between progress lines when stderr is not a terminal (CI logs); 0: none. */
  readonly intervalSeconds: number
  /** Notices such as the provider fallback (silent under --json, which carries them). */
  readonly log: (line: string) => void
  /** Where the periodic lines go: stderr, under --json too (the JSON is on stdout). */
  readonly line: (line: string) => void
}

/**
 * Progress on stderr: on a terminal a bar (done/total, images/s, ETA, failures) fitted to its width; without one
 * (CI) a line every `intervalSeconds`, so a run of hours shows it is alive. Both read the same counters as the
 * final summary (progress-line.ts).
 */
export function progressEvents(options: ProgressOptions): RunEvents & {stop(): void} {
  let bar: cliProgress.SingleBar | undefined
  let timer: NodeJS.Timeout | undefined
  let started = 0
  let latest: Progress = {total: 0, done: 0, failed: 0, skipped: 0}
  const elapsed = (): number => performance.now() - started
  return {
    start({total, fallbackReason}) {
      if (fallbackReason !== undefined) options.log(`warning: ${fallbackReason}`)
      started = performance.now()
      latest = {total, done: 0, failed: 0, skipped: 0}
      if (total === 0) return
      if (options.bar) {
        bar = new cliProgress.SingleBar({
          stream: process.stderr,
          format: (_options, params) => barLine(latest, elapsed(), params.maxWidth),
          hideCursor: true,
        })
        bar.start(total, 0)
      } else if (options.intervalSeconds > 0) {
        timer = setInterval(() => {
          options.line(progressLine(latest, elapsed()))
        }, options.intervalSeconds * 1000)
        // A pending progress line never keeps the process alive.
        timer.unref()
      }
    },
    progress(progress) {
      latest = progress
      bar?.update(progress.done + progress.failed + progress.skipped)
    },
    stop() {
      bar?.stop()
      bar = undefined
      clearInterval(timer)
      timer = undefined
    },
  }
}
