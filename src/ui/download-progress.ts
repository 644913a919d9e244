import cliProgress from 'cli-progress'
import type {PullEvents} from '../hub/pull.js'

/** Bytes for people: 1 decimal, powers of 1024 (what `ls -h` and file managers show). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown size'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/**
 * Pull feedback on stderr: one notice line per download (what, size, where to) always — a user must know a
 * large download is starting — and a bytes/rate/ETA bar only on a terminal outside --json.
 */
export function pullProgress(bar: boolean, log: (line: string) => void, reason = 'downloading'): PullEvents {
  let progress: cliProgress.SingleBar | undefined
  let done = 0
  let started = 0
  return {
    waiting(id) {
      log(`${id}: another dpt process is downloading it; waiting for it to finish`)
    },
    planned({id, dtype, repo, endpoint, bytes, dir}) {
      log(`${reason} ${id} (${dtype}, ${formatBytes(bytes)}) from ${endpoint}/${repo} into ${dir}`)
      if (!bar) return
      started = performance.now()
      progress = new cliProgress.SingleBar(
        {stream: process.stderr, format: ' {bar} {got} / {size} | {rate}/s | ETA {eta_formatted}', hideCursor: true, etaBuffer: 50},
        cliProgress.Presets.shades_classic,
      )
      progress.start(bytes ?? 0, 0, {got: formatBytes(0), size: formatBytes(bytes), rate: formatBytes(0)})
    },
    bytes(delta) {
      done += delta
      const seconds = (performance.now() - started) / 1000
      progress?.update(done, {got: formatBytes(done), rate: formatBytes(seconds > 0 ? Math.round(done / seconds) : 0)})
    },
    finished() {
      progress?.stop()
      progress = undefined
    },
  }
}
