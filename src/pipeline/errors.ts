/**
 * Exit codes, documented in README.md. A CI job can tell "some images were bad" from "the run could not start".
 */
export const ExitCode = {
  ok: 0,
  /** A bug or an unexpected system error. */
  internal: 1,
  /** Bad flags or arguments (oclif's own parse errors use 2 as well). */
  usage: 2,
  /** The run finished (or stopped under --fail-fast) but at least one image failed. */
  imagesFailed: 3,
  /** The model could not be loaded, or its card contradicts the ONNX graph. */
  model: 4,
  /** The inputs matched no image at all. */
  noInputs: 5,
  /** dpt eval: the run finished but a --fail-if / --max-regression gate failed. */
  gateFailed: 6,
  /** dpt eval: the dataset folder does not have the expected layout (the message shows it). */
  dataset: 7,
  /**
   * The outputs could not be written: disk full (ENOSPC), over quota (EDQUOT) or a read-only filesystem (EROFS).
   * The run stops at the first such error; every output already written is complete (written atomically).
   */
  storage: 8,
  /** Stopped by SIGINT / SIGTERM. */
  interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** An error the user can act on: what went wrong, and what to do about it. */
export class DptError extends Error {
  readonly exitCode: ExitCode
  readonly remedy: string | undefined
  /**
   * Thrown while a sample is processed, it stops the whole run (the scheduler waits for the samples in flight,
   * then rethrows it) instead of failing that sample only: the same cause would fail every sample after it.
   */
  readonly abortsRun: boolean

  constructor(message: string, options: {exitCode?: ExitCode; remedy?: string; cause?: unknown; abortsRun?: boolean} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'DptError'
    this.exitCode = options.exitCode ?? ExitCode.usage
    this.remedy = options.remedy
    this.abortsRun = options.abortsRun ?? false
  }
}

/** The message of any thrown value, without its stack. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
