import {readFileSync, writeFileSync} from 'node:fs'

/** Resident set size now and its peak since the last reset, in bytes. */
export function rss(): {now: number; peak: number} {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) * 1024
    return {now: kb('VmRSS'), peak: kb('VmHWM')}
  } catch {
    return {now: process.memoryUsage().rss, peak: process.resourceUsage().maxRSS * 1024}
  }
}

export function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5') // Linux: VmHWM := VmRSS
  } catch {
    // not Linux: the peak stays getrusage's, since the process started
  }
}

export async function settle(): Promise<void> {
  const gc = (globalThis as {gc?: () => void}).gc
  // Twice, a turn apart: array buffers are released by a task after the collection.
  gc?.()
  await new Promise((resolve) => setImmediate(resolve))
  gc?.()
}
