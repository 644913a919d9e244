import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import type {Dtype} from '../model/locate.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {installedDtypes, modelDir, readManifest, writeManifest, type CachePaths, type Manifest, type ManifestFile} from './cache.js'
import {downloadFile, inspectFile, type RemoteFile} from './download.js'
import type {HubSettings} from './http.js'
import {withModelLock} from './lock.js'
import {provenanceOf} from './provenance.js'
import {exportRemedy, filesFor, type Registry, type RegistryEntry, type RegistryFile} from './registry.js'

export interface PullPlan {
  readonly id: string
  readonly dtype: Dtype
  readonly repo: string
  readonly endpoint: string
  /** Bytes still to download, null if the hub did not say. */
  readonly bytes: number | null
  readonly files: readonly string[]
  readonly dir: string
}

/** Hooks for the command's notice and progress bar; none of them is required. */
export interface PullEvents {
  /** Another process holds the model's lock: this pull waits for it. */
  waiting?(id: string): void
  /** What is about to be downloaded (after the hub told the sizes). */
  planned?(plan: PullPlan): void
  bytes?(delta: number): void
  finished?(): void
}

export interface PullOptions {
  readonly dtype: Dtype
  readonly offline: boolean
  /** Install files the hub gives no hash for (reported in the manifest as `none`). */
  readonly allowUnverified: boolean
}

export interface PullResult {
  readonly id: string
  readonly dtype: Dtype
  readonly dir: string
  /** False when the model was already installed (by an earlier or a concurrent pull). */
  readonly downloaded: boolean
  readonly downloadedBytes: number
  readonly commit: string | null
  readonly files: readonly ManifestFile[]
}

/** True when the manifest lists every file of the dtype and they are on disk with their recorded sizes. */
export function isInstalled(dir: string, dtype: Dtype, expected?: readonly RegistryFile[]): boolean {
  const manifest = readManifest(dir)
  if (manifest === undefined || !installedDtypes(manifest).includes(dtype)) return false
  const listed = manifest.files.filter((f) => f.dtype === null || f.dtype === dtype)
  if (expected !== undefined && !expected.every((e) => listed.some((f) => f.path === e.path))) return false
  return listed.every((f) => existsSync(join(dir, f.path)) && statSync(join(dir, f.path)).size === f.size)
}

export function hubFiles(entry: RegistryEntry, dtype: Dtype): {source: NonNullable<RegistryEntry['source']>; files: readonly RegistryFile[]} {
  if (entry.source === null) {
    throw new DptError(`${entry.id} has no published ONNX to download`, {exitCode: ExitCode.model, remedy: exportRemedy(entry)})
  }
  const files = filesFor(entry.source, dtype)
  if (files === undefined) {
    throw new DptError(`${entry.id} has no ${dtype} variant`, {
      exitCode: ExitCode.model,
      remedy: `Use --dtype ${Object.keys(entry.source.dtypes).join(' | ')}.`,
    })
  }
  return {source: entry.source, files}
}

/** A model installed under the entry's id that is not the registry's (provenance.ts) is never topped up with its files. */
function refuseLocal(entry: RegistryEntry, dir: string): void {
  const installed = readManifest(dir)
  const provenance = installed === undefined ? undefined : provenanceOf(entry, installed, dir)
  if (provenance?.kind === 'local') {
    throw new DptError(`${entry.id} in the cache (${dir}) is not the registry's ${entry.id}: ${provenance.reason}`, {
      exitCode: ExitCode.model,
      remedy: `Run \`dpt models rm ${entry.id}\` first to pull the registry's files, or keep using the installed one with --model ${entry.id}.`,
    })
  }
}

/**
 * Installs one dtype of a registry model into the cache: asks the hub for every file's size and hash, downloads
 * what is missing (resuming parts), verifies, renames into place, and writes the manifest last, all under the
 * model's lock. A second concurrent pull waits, then finds the model installed and downloads nothing.
 */
export async function pullModel(
  registry: Registry,
  paths: CachePaths,
  settings: HubSettings,
  entry: RegistryEntry,
  options: PullOptions,
  events: PullEvents = {},
): Promise<PullResult> {
  const {source, files} = hubFiles(entry, options.dtype)
  const dir = modelDir(paths, entry.id)
  const done = (downloaded: boolean, downloadedBytes: number, manifest: Manifest): PullResult => ({
    id: entry.id,
    dtype: options.dtype,
    dir,
    downloaded,
    downloadedBytes,
    commit: manifest.source.kind === 'hub' ? manifest.source.commit : null,
    files: manifest.files.filter((f) => f.dtype === null || f.dtype === options.dtype),
  })
  refuseLocal(entry, dir)
  if (isInstalled(dir, options.dtype, files)) return done(false, 0, readManifest(dir)!)
  if (options.offline || settings.offline === true) {
    const mode = options.offline ? 'offline mode' : 'HF_HUB_OFFLINE'
    throw new DptError(`${entry.id} (${options.dtype}) is not in the cache (${dir}) and ${mode} forbids downloading it`, {
      exitCode: ExitCode.model,
      remedy: `Run \`dpt models pull ${entry.id} --dtype ${options.dtype}\` where the hub is reachable (then copy ${paths.root}, or set DPT_CACHE), or pass --model a local model folder.`,
    })
  }
  return withModelLock(
    paths,
    entry.id,
    () => events.waiting?.(entry.id),
    async () => {
      if (isInstalled(dir, options.dtype, files)) return done(false, 0, readManifest(dir)!)
      const previous = readManifest(dir)
      const keep = (previous?.files ?? []).filter((f) => existsSync(join(dir, f.path)) && statSync(join(dir, f.path)).size === f.size)
      const missing = files.filter((f) => !keep.some((k) => k.path === f.path))
      const remotes: RemoteFile[] = []
      for (const file of missing) remotes.push(await inspectFile(settings, source.repo, source.revision, file))
      const unverifiable = remotes.filter((r) => r.expectation.kind === 'none')
      if (unverifiable.length > 0 && !options.allowUnverified) {
        const why = unverifiable.map((r) => `${r.file.path}: ${r.expectation.kind === 'none' ? r.expectation.why : ''}`).join('; ')
        throw new DptError(`Cannot verify ${entry.id}: no pinned sha256 and no LFS sha256 from the hub (${why})`, {
          exitCode: ExitCode.model,
          remedy:
            'Pin the sha256 of these files in the registry (DPT_REGISTRY), or pass --allow-unverified to `dpt models pull` to accept them (recorded as unverified).',
        })
      }
      const bytes = remotes.every((r) => (r.file.size ?? r.size) !== null) ? remotes.reduce((sum, r) => sum + (r.file.size ?? r.size ?? 0), 0) : null
      events.planned?.({id: entry.id, dtype: options.dtype, repo: source.repo, endpoint: settings.endpoint, bytes, files: missing.map((f) => f.path), dir})
      const fetched: ManifestFile[] = []
      let downloadedBytes = 0
      try {
        for (const remote of remotes) {
          const dtype = source.files.some((f) => f.path === remote.file.path) ? null : options.dtype
          const got = await downloadFile(
            settings,
            remote,
            {repo: source.repo, revision: source.revision, downloads: paths.downloads, dest: join(dir, remote.file.path)},
            (d) => events.bytes?.(d),
          )
          fetched.push({path: remote.file.path, size: got.size, sha256: got.sha256, verifiedBy: got.verifiedBy, dtype})
          downloadedBytes += got.size
        }
      } finally {
        events.finished?.()
      }
      const commit = remotes.find((r) => r.commit !== null)?.commit ?? (previous?.source.kind === 'hub' ? previous.source.commit : null)
      // Files of other dtypes stay listed; a file listed twice (re-pulled) takes its new record.
      const kept = keep.filter((k) => !fetched.some((f) => f.path === k.path))
      const manifest: Manifest = {
        schema: 'dpt-model-manifest/1',
        id: entry.id,
        task: entry.task,
        source: {kind: 'hub', endpoint: settings.endpoint, repo: source.repo, revision: source.revision, commit},
        files: [...kept, ...fetched].sort((a, b) => a.path.localeCompare(b.path)),
        updatedAt: new Date().toISOString(),
      }
      await writeManifest(dir, manifest)
      return done(true, downloadedBytes, manifest)
    },
  )
}
