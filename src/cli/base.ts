import {Command, type Interfaces} from '@oclif/core'
import type {RunEvents} from '../pipeline/run.js'
import {progressEvents} from '../ui/progress.js'
import {envDefaults, type EnvDefaults} from './environment.js'
import {asUsageError, codedError} from './exit.js'

/** Seconds between progress lines without a terminal (--progress-interval, DPT_PROGRESS_INTERVAL). */
export const DEFAULT_PROGRESS_INTERVAL = 30

/**
 * What every dpt command shares: --json, the DPT_* defaults read once, warnings, progress on stderr, and one
 * `catch` that turns every error into the exit code README documents — the same code with and without --json.
 */
export abstract class DptCommand extends Command {
  static override enableJsonFlag = true

  private env: EnvDefaults | undefined
  private readonly collected: string[] = []

  /** The DPT_* defaults (environment.ts), read on first use; a bad value is a usage error like a bad flag. */
  protected get environment(): EnvDefaults {
    this.env ??= envDefaults(process.env)
    return this.env
  }

  /** Warnings so far (flags without effect, symlink cycles…), for the --json result. */
  protected get warnings(): readonly string[] {
    return this.collected
  }

  /** A warning: on stderr now, and in the --json result (where stderr stays quiet). */
  protected warning(text: string): void {
    this.collected.push(text)
    this.logToStderr(`warning: ${text}`)
  }

  /** A bar on a terminal, a line every interval without one (README: Feedback). */
  protected progress(intervalSeconds: number | undefined): RunEvents & {stop(): void} {
    return progressEvents({
      bar: process.stderr.isTTY && !this.jsonEnabled(),
      intervalSeconds: intervalSeconds ?? this.environment.progressInterval ?? DEFAULT_PROGRESS_INTERVAL,
      log: (line) => {
        this.logToStderr(line)
      },
      line: (line) => void process.stderr.write(`${line}\n`),
    })
  }

  /**
   * One place for errors: message and remedy, the documented exit code, JSON on stdout under --json. Whatever
   * failed before the flags and arguments were parsed (oclif sets `parsed` after) is a usage error (2).
   */
  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    const coded = codedError(this.parsed ? error : asUsageError(error))
    process.exitCode = coded.exitCode
    return super.catch(coded.error)
  }
}
