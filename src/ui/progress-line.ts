import type {Progress} from '../pipeline/run.js'

/** What the bar and the CI lines both show, computed once from the scheduler's counters. */
export interface ProgressFigures {
  /** Samples finished in any way: written, failed or found not to be images. */
  readonly finished: number
  /** Written per second of the run so far (the summary's img/s at the end). */
  readonly rate: number
  /** Seconds left at the rate samples have finished so far; undefined before the first one. */
  readonly etaSeconds: number | undefined
}

export function progressFigures(p: Progress, elapsedMs: number): ProgressFigures {
  const finished = p.done + p.failed + p.skipped
  const seconds = elapsedMs / 1000
  const rate = seconds > 0 ? p.done / seconds : 0
  const etaSeconds = finished > 0 && seconds > 0 ? Math.max(0, p.total - finished) / (finished / seconds) : undefined
  return {finished, rate, etaSeconds}
}

/** 42s, 3m05s, 2h07m: short enough for a narrow terminal, unambiguous in a log. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/**
 * One progress line for logs without a terminal (CI): counts with the words the final summary uses, rate, elapsed
 * time and ETA. e.g. `progress: 40/100 images, 38 written, 1 failed, 1 not images, 0.42 img/s, elapsed 1m35s, ETA 2m23s`.
 */
export function progressLine(p: Progress, elapsedMs: number): string {
  const {finished, rate, etaSeconds} = progressFigures(p, elapsedMs)
  return (
    `progress: ${finished}/${p.total} images, ${p.done} written, ${p.failed} failed, ${p.skipped} not images, ` +
    `${rate.toFixed(2)} img/s, elapsed ${formatDuration(elapsedMs / 1000)}, ETA ${formatDuration(etaSeconds)}`
  )
}

const FULL = '\u2588'
const EMPTY = '\u2591'
/** cli-progress's default bar width, the most the bar takes on a wide terminal. */
const MAX_BAR = 40
/** Narrower than this, a bar says nothing: it goes. */
const MIN_BAR = 5

/**
 * The terminal bar's line fitted to `columns`: the counts, rate and ETA stay, the bar shrinks first (down to nothing),
 * then the failure counts go, so the line never wraps or is cut mid-figure.
 */
export function barLine(p: Progress, elapsedMs: number, columns: number): string {
  const {finished, rate, etaSeconds} = progressFigures(p, elapsedMs)
  const parts = [`${finished}/${p.total}`, `${rate.toFixed(2)} img/s`, `ETA ${formatDuration(etaSeconds)}`, `failed ${p.failed}`, `not images ${p.skipped}`]
  // One column stays free: writing into the last one makes some terminals wrap.
  const room = Math.max(0, columns - 1)
  let text = parts.join(' | ')
  while (text.length + 1 > room && parts.length > 3) {
    parts.pop()
    text = parts.join(' | ')
  }
  const width = Math.min(MAX_BAR, room - text.length - 2)
  if (width < MIN_BAR) return ` ${text}`
  const filled = p.total > 0 ? Math.round((finished / p.total) * width) : 0
  return ` ${FULL.repeat(filled)}${EMPTY.repeat(width - filled)} ${text}`
}
