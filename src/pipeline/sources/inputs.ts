import {DptError, ExitCode} from '../errors.js'

/** Where listed paths came from: `-` (stdin) or `@FILE`. */
export interface InputList {
  /** `-` or `@FILE` as typed. */
  readonly arg: string
  readonly paths: readonly string[]
}

/**
 * The inputs of an image command, as given: arguments (files, folders, globs) and lists of paths. Built once at the
 * edge (input-list.ts reads the lists); discover.ts expands them.
 */
export interface InputSpec {
  /** Files, folders and glob patterns given as arguments. */
  readonly patterns: readonly string[]
  /** Paths read from stdin or list files: files or folders taken literally, never as globs. */
  readonly lists: readonly InputList[]
  /** Absolute folder the output tree mirrors (--base); undefined: the deepest folder holding every input. */
  readonly base: string | undefined
}

/** Inputs given as arguments only (no lists, no --base). */
export const argumentInputs = (patterns: readonly string[]): InputSpec => ({patterns, lists: [], base: undefined})

/** The inputs in a message: the arguments as typed, a list by its source and size. */
export function describeInputs(spec: InputSpec): string {
  return [...spec.patterns, ...spec.lists.map((l) => `${l.arg} (${l.paths.length} path${l.paths.length === 1 ? '' : 's'})`)].join(', ')
}

/** The arguments as typed, lists included (`-`, `@FILE`): bench's report names its source with them. */
export const inputArgs = (spec: InputSpec): string[] => [...spec.patterns, ...spec.lists.map((l) => l.arg)]

export function inputNotFound(path: string, list: InputList | undefined): DptError {
  return new DptError(`Input not found: ${path}${list === undefined ? '' : ` (listed in ${list.arg === '-' ? 'stdin' : list.arg.slice(1)})`}`, {
    exitCode: ExitCode.noInputs,
    remedy:
      list === undefined
        ? 'Pass existing files, directories or glob patterns (quote globs so the shell does not expand them).'
        : 'A list names existing files or folders, one per line (NUL-separated with --null); globs in it are not expanded.',
  })
}
