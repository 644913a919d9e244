import {dirname} from 'node:path'
import {DptError, ExitCode} from '../errors.js'

/** Errors of the filesystem rather than of one image: the next write would fail the same way. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the filesystem is read-only',
}

/**
 * A write that failed because the output filesystem is full, over quota or read-only, as a DptError that stops the
 * run (abortsRun: the scheduler lets the samples in flight end, then stops, instead of failing every remaining
 * image one by one). Undefined for any other error, which fails only its own image.
 */
export function storageError(path: string, error: unknown): DptError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const reason = code === undefined ? undefined : REASONS[code]
  if (reason === undefined) return undefined
  const folder = dirname(path)
  const fix =
    code === 'EROFS'
      ? `Write to a folder on a writable filesystem (-o)`
      : `Free space on the filesystem holding ${folder} (df -h ${folder})${code === 'EDQUOT' ? ' or raise the quota' : ''}, or write elsewhere (-o)`
  return new DptError(`Cannot write ${path}: ${reason} (${code}); the run stopped there`, {
    exitCode: ExitCode.storage,
    abortsRun: true,
    cause: error,
    remedy: `${fix}, then run the same command again: every file already written is complete, and --skip-existing keeps it.`,
  })
}
