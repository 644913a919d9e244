import {readFile} from 'node:fs/promises'
import {resolve} from 'node:path'
import {DptError, ExitCode, messageOf} from '../errors.js'
import type {InputList, InputSpec} from './inputs.js'

export interface ListOptions {
  /** Entries are separated by NUL bytes (find -print0, xargs -0) instead of newlines. */
  readonly nul: boolean
  readonly cwd: string
  /** --base, as typed. */
  readonly base: string | undefined
  /** stdin: its text, and whether it is a terminal. */
  readonly stdin: {readonly isTTY: boolean; read(): Promise<string>}
}

/**
 * A list's entries: newline-separated (a trailing CR is dropped, for lists written on Windows) or NUL-separated;
 * empty entries are skipped. Entries are paths relative to the working directory, as find prints them and xargs
 * passes them on.
 */
export function splitList(text: string, nul: boolean): string[] {
  const entries = nul ? text.split('\0') : text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  return entries.filter((entry) => entry !== '')
}

/**
 * The command's arguments as an InputSpec: `-` reads paths from stdin, `@FILE` from a list file (GCC's and javac's
 * argument files; name a file starting with @ as ./@name), anything else is a file, folder or glob.
 */
export async function readInputs(args: readonly string[], options: ListOptions): Promise<InputSpec> {
  const patterns: string[] = []
  const lists: InputList[] = []
  if (args.filter((a) => a === '-').length > 1) {
    throw new DptError('`-` is given twice: stdin can be read once', {
      exitCode: ExitCode.usage,
      remedy: 'Give `-` once, or put the other list in a file (@FILE).',
    })
  }
  for (const arg of args) {
    if (arg === '-') {
      if (options.stdin.isTTY) {
        throw new DptError('`-` reads the paths from stdin, but stdin is a terminal', {
          exitCode: ExitCode.usage,
          remedy: 'Pipe the list in: find shots -name "*.jpg" | dpt depth - -o out (or find … -print0 | dpt depth --null - -o out).',
        })
      }
      lists.push({arg, paths: splitList(await options.stdin.read(), options.nul)})
    } else if (arg.startsWith('@') && arg.length > 1) {
      const file = resolve(options.cwd, arg.slice(1))
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        throw new DptError(`Cannot read the list ${arg.slice(1)}: ${messageOf(error)}`, {
          exitCode: ExitCode.noInputs,
          cause: error,
          remedy: 'Pass @FILE with a list of paths, one per line; a file whose name starts with @ is ./@name.',
        })
      })
      lists.push({arg, paths: splitList(text, options.nul)})
    } else patterns.push(arg)
  }
  return {patterns, lists, base: options.base === undefined ? undefined : resolve(options.cwd, options.base)}
}

/** All of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
