import {Errors} from '@oclif/core'
import {DptError, ExitCode} from '../pipeline/errors.js'

/** An error oclif prints and exits with: its own `oclif.exit` field carries the code. */
type WithExit = Error & {oclif?: {exit?: number}}

/**
 * The error as oclif prints it, with the exit code the README documents, the same with and without --json:
 * a DptError as message + remedy (no stack) with its code; an error oclif already coded (parse errors, exit())
 * keeps its code; anything else is a bug (1), printed with its stack.
 */
export function codedError(error: unknown): {readonly error: Error; readonly exitCode: number} {
  if (error instanceof DptError) {
    const text = error.remedy === undefined ? error.message : `${error.message}\n${error.remedy}`
    return {error: new Errors.CLIError(text, {exit: error.exitCode}), exitCode: error.exitCode}
  }
  if (error instanceof Error) {
    const code = (error as WithExit).oclif?.exit
    return {error, exitCode: typeof code === 'number' ? code : ExitCode.internal}
  }
  return {error: new Error(String(error)), exitCode: ExitCode.internal}
}

/**
 * Anything thrown while flags and arguments are parsed is a usage error (2): oclif's own parse errors already say
 * so, but an error from a flag's `parse` hook (or a DptError from one) would otherwise exit 1, "a bug". The error
 * is marked in place, so oclif still prints it, and its help, as it would.
 */
export function asUsageError(error: unknown): unknown {
  if (error instanceof DptError) {
    if (error.exitCode === ExitCode.usage) return error
    return new DptError(error.message, {exitCode: ExitCode.usage, cause: error, ...(error.remedy === undefined ? {} : {remedy: error.remedy})})
  }
  if (error instanceof Error) {
    const marked = error as WithExit
    marked.oclif = {...marked.oclif, exit: ExitCode.usage}
  }
  return error
}
