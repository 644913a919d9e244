import cliProgress from 'cli-progress'
import type {RunEvents} from '../pipeline/run.js'

/**
 * A progress bar on stderr when it is a terminal (done/total, images/s, ETA, failures); nothing otherwise,
 * so CI logs and --json output stay clean.
 */
export function progressEvents(enabled: boolean, log: (line: string) => void): RunEvents & {stop(): void} {
  let bar: cliProgress.SingleBar | undefined
  let started = 0
  return {
    start({total, fallbackReason}) {
      if (fallbackReason !== undefined) log(`warning: ${fallbackReason}`)
      if (!enabled || total === 0) return
      started = performance.now()
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: ' {bar} {value}/{total} | {rate} img/s | ETA {eta_formatted} | failed {failed} | skipped {skipped}',
          hideCursor: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      )
      bar.start(total, 0, {rate: '0.00', failed: 0, skipped: 0})
    },
    progress({done, failed, skipped}) {
      const seconds = (performance.now() - started) / 1000
      bar?.update(done + failed + skipped, {rate: seconds > 0 ? (done / seconds).toFixed(2) : '0.00', failed, skipped})
    },
    stop() {
      bar?.stop()
      bar = undefined
    },
  }
}
