import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {DptError} from '../pipeline/errors.js'
import {manifestBytes, modelDir, readManifest, type CachePaths} from './cache.js'
import {withModelLock} from './lock.js'

export interface RemoveResult {
  readonly id: string
  readonly dir: string
  readonly freedBytes: number
}

/** Deletes a model's folder from the cache, under its lock (a pull of it in progress finishes first). */
export async function removeModel(paths: CachePaths, id: string): Promise<RemoveResult> {
  const dir = modelDir(paths, id)
  if (!existsSync(dir)) throw new DptError(`${id} is not in the cache (${paths.models})`, {remedy: 'See the installed models with `dpt models list`.'})
  return withModelLock(
    paths,
    id,
    () => undefined,
    async () => {
      const manifest = readManifest(dir)
      await rm(dir, {recursive: true, force: true})
      return {id, dir, freedBytes: manifest === undefined ? 0 : manifestBytes(manifest)}
    },
  )
}
