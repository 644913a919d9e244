import type {Command} from '@oclif/core'
import {DptError} from './pipeline/errors.js'

/** Prints a DptError as message + remedy (no stack) and exits with its code; anything else is a bug. */
export function handleRunError(command: Command, error: unknown): never {
  if (error instanceof DptError) {
    const text = error.remedy === undefined ? error.message : `${error.message}\n${error.remedy}`
    command.error(text, {exit: error.exitCode})
  }
  throw error
}
