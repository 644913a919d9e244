import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import lockfile from 'proper-lockfile'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {cacheWriteError, type CachePaths} from './cache.js'

/**
 * One pull or import of a model at a time, across processes. proper-lockfile creates the lock with mkdir
 * (atomic on every filesystem, network ones included) and keeps its mtime fresh while the holder lives, so a
 * lock left by a killed process goes stale and is taken over instead of blocking forever.
 */
const STALE_MS = 20_000
const POLL_MS = 300

export async function withModelLock<T>(paths: CachePaths, id: string, onWait: () => void, work: () => Promise<T>): Promise<T> {
  await mkdir(paths.locks, {recursive: true}).catch((error: unknown) => {
    throw cacheWriteError(paths.locks, error)
  })
  const target = join(paths.locks, id)
  let compromised: Error | undefined
  const options = {
    realpath: false,
    lockfilePath: `${target}.lock`,
    stale: STALE_MS,
    onCompromised: (error: Error) => {
      compromised = error
    },
  }
  let release: (() => Promise<void>) | undefined
  let waited = false
  while (release === undefined) {
    try {
      release = await lockfile.lock(target, options)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
      if (!waited) onWait()
      waited = true
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  }
  try {
    const result = await work()
    if (compromised !== undefined) {
      throw new DptError(`The cache lock of ${id} was lost during the pull (${compromised.message})`, {exitCode: ExitCode.model, remedy: 'Run the pull again.'})
    }
    return result
  } finally {
    await release().catch(() => undefined)
  }
}
