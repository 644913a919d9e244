import {isAbsolute, join, relative} from 'node:path'

/** A path as the user would type it: relative to the working directory when below it. */
export const display = (cwd: string, path: string): string => {
  const rel = relative(cwd, path)
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/** Whether `child` is `parent` or lies below it. */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** An output path: the output directory, a POSIX stem below it, and a suffix. */
export const joinOutput = (outDir: string, stem: string, suffix: string): string => join(outDir, ...stem.split('/')) + suffix
