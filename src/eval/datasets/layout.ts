import {stat} from 'node:fs/promises'
import fg from 'fast-glob'
import {DptError, ExitCode} from '../../pipeline/errors.js'

/**
 * The error for a dataset folder that is missing or laid out differently than expected: what is wrong, then
 * the tree the reader expects, so the user can compare it with `ls`/`tree` of their folder.
 */
export function layoutError(dataset: string, root: string, problem: string, tree: string, remedy?: string): DptError {
  return new DptError(`${dataset}: ${problem} (--data ${root}).\nExpected layout:\n${tree.replace(/^/gm, '  ')}`, {
    exitCode: ExitCode.dataset,
    remedy: remedy ?? `Point --data at the folder shown at the top of the tree, or use --dataset folder with --gt for another layout.`,
  })
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true
}

export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true
}

/** Files below `dir` matching the patterns (case-insensitive, following links), as POSIX paths relative to it. */
export async function listFiles(dir: string, patterns: string | string[]): Promise<string[]> {
  const files = await fg(patterns, {cwd: dir, onlyFiles: true, caseSensitiveMatch: false, followSymbolicLinks: true, dot: false})
  return files.sort()
}

/** Reads a text list file (split lists, associations) as trimmed, non-empty, non-comment lines. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

/** A path without its extension. */
export const stem = (path: string): string => path.replace(/\.[^./]*$/, '')
