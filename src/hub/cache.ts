import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {homedir, platform} from 'node:os'
import {join, resolve} from 'node:path'
import type {Task} from '../model/card.js'
import type {Dtype} from '../model/locate.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {writeFileAtomic} from '../pipeline/sinks/atomic.js'

/**
 * The model cache: DPT_CACHE, else the platform's cache directory (XDG on Linux, ~/Library/Caches on macOS,
 * %LOCALAPPDATA% on Windows). Layout:
 *   models/<id>/               a folder `--model` accepts (config files, onnx/…, dpt-card.json)
 *   models/<id>/dpt-manifest.json   what was installed, from where, with sizes and sha256
 *   downloads/<key>.part        resumable partial downloads, keyed by the expected content hash
 *   locks/<id>.lock             one pull or import of a model at a time
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DPT_CACHE !== undefined && env.DPT_CACHE !== '') return resolve(env.DPT_CACHE)
  const home = homedir()
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Caches', 'dpt')
    case 'win32':
      return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'dpt', 'Cache')
    default:
      return join(env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(home, '.cache'), 'dpt')
  }
}

export const MANIFEST = 'dpt-manifest.json'

/** How an installed file's content was checked when it arrived. */
export type Verification = 'pinned-sha256' | 'hub-sha256' | 'hub-git-sha1' | 'imported' | 'none'

export interface ManifestFile {
  readonly path: string
  readonly size: number
  readonly sha256: string
  readonly verifiedBy: Verification
  /** The dtype this file belongs to; null for files every dtype uses. */
  readonly dtype: Dtype | null
}

export interface Manifest {
  readonly schema: 'dpt-model-manifest/1'
  readonly id: string
  readonly task: Task
  readonly source:
    | {readonly kind: 'hub'; readonly endpoint: string; readonly repo: string; readonly revision: string; readonly commit: string | null}
    | {readonly kind: 'import'; readonly from: string}
  readonly files: readonly ManifestFile[]
  readonly updatedAt: string
}

export interface CachePaths {
  readonly root: string
  readonly models: string
  readonly downloads: string
  readonly locks: string
}

export function cachePaths(root: string = cacheDir()): CachePaths {
  return {root, models: join(root, 'models'), downloads: join(root, 'downloads'), locks: join(root, 'locks')}
}

/** Model ids are folder names in the cache: lower-case letters, digits, dots and dashes, never a path. */
export const MODEL_ID = /^[a-z0-9][a-z0-9.-]*$/

export function modelDir(paths: CachePaths, id: string): string {
  if (!MODEL_ID.test(id) || id.includes('..')) {
    throw new DptError(`Expected a model id of lower-case letters, digits, dots and dashes, got \`${id}\``, {remedy: 'See the ids with `dpt models list`.'})
  }
  return join(paths.models, id)
}

export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest
  } catch {
    // A manifest that does not parse marks an install that never completed: treated as not installed.
    return undefined
  }
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 2) + '\n'))
}

/** The dtypes whose files are all in the manifest (common files + that dtype's ONNX). */
export function installedDtypes(manifest: Manifest): Dtype[] {
  const dtypes = new Set(manifest.files.map((f) => f.dtype).filter((d): d is Dtype => d !== null))
  return [...dtypes].sort()
}

/** Every model folder with a manifest, sorted by id. */
export function installedModels(paths: CachePaths): Manifest[] {
  if (!existsSync(paths.models)) return []
  return (
    readdirSync(paths.models, {withFileTypes: true})
      .filter((e) => e.isDirectory())
      .map((e) => ({name: e.name, manifest: readManifest(join(paths.models, e.name))}))
      // A manifest copied into a folder of another name is not that model.
      .flatMap(({name, manifest}) => (manifest?.id === name ? [manifest] : []))
      .sort((a, b) => a.id.localeCompare(b.id))
  )
}

export const manifestBytes = (manifest: Manifest): number => manifest.files.reduce((sum, f) => sum + f.size, 0)

/** A failure to write into the cache (permissions, full disk) as an error that says where and what to do. */
export function cacheWriteError(path: string, error: unknown): DptError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
  const remedy = code === 'ENOSPC' ? 'Free some space there, or set DPT_CACHE to a folder on a disk with room.' : 'Set DPT_CACHE to a folder you can write to.'
  return new DptError(`Cannot write to the model cache at ${path} (${code})`, {exitCode: ExitCode.model, cause: error, remedy})
}
