import {DptError, ExitCode} from '../pipeline/errors.js'

/**
 * One wording for every bad value, as sharp's `invalidParameterError` does: what was expected, what came.
 * Always a usage error (exit code 2), whether the value came from a flag, an argument or the environment.
 */
export function invalidFlag(name: string, expected: string, got: string, remedy?: string): DptError {
  return new DptError(`Expected ${name.startsWith('-') ? name : `--${name}`} to be ${expected}, got \`${got}\``, {
    exitCode: ExitCode.usage,
    ...(remedy === undefined ? {} : {remedy}),
  })
}

/** The same for an environment variable (DPT_THREADS=x): the message names the variable, not a flag never typed. */
export function invalidEnv(name: string, expected: string, got: string): DptError {
  return new DptError(`Expected ${name} to be ${expected}, got \`${got}\``, {
    exitCode: ExitCode.usage,
    remedy: `Fix or unset ${name} (README: Environment variables).`,
  })
}
