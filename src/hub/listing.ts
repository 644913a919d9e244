import type {Task} from '../model/card.js'
import type {Dtype} from '../model/locate.js'
import {DptError} from '../pipeline/errors.js'
import {installedDtypes, installedModels, manifestBytes, modelDir, type CachePaths, type Manifest} from './cache.js'
import {provenanceOf, type Provenance} from './provenance.js'
import {inspectFile} from './download.js'
import type {HubSettings} from './http.js'
import {filesFor, knownSize, type Registry, type RegistryFile} from './registry.js'

export interface ModelListing {
  readonly id: string
  readonly task: Task
  readonly title: string
  /** The model `dpt depth` / `dpt segment` use without --model. */
  readonly default: boolean
  readonly licence: string | null
  /**
   * hub: downloadable; export: no ONNX published (export + import); local: only in the cache, imported under an id
   * the registry does not know, or under a registry id without matching the registry's files (see `provenance`).
   */
  readonly source: 'hub' | 'export' | 'local'
  readonly repo: string | null
  readonly dtypes: readonly Dtype[]
  /** Download size of each published dtype when the registry knows it. */
  readonly downloadBytes: Partial<Record<Dtype, number | null>>
  readonly installed: readonly Dtype[]
  readonly installedBytes: number
  /** Whether what is installed is the registry's model (provenance.ts); null when nothing is. */
  readonly provenance: Provenance | null
}

/** Registry models and installed ones (imported under ids the registry does not know included), registry order first. */
export function listModels(registry: Registry, paths: CachePaths): ModelListing[] {
  const manifests = installedModels(paths)
  const installedOf = (id: string) => manifests.find((m) => m.id === id)
  const fromRegistry = registry.models.map((entry): ModelListing => {
    const manifest = installedOf(entry.id)
    const provenance = manifest === undefined ? null : provenanceOf(entry, manifest, modelDir(paths, entry.id))
    if (manifest !== undefined && provenance?.kind === 'local') {
      // Installed under a registry id, but not the registry's files: none of the entry's facts apply to it.
      return {
        ...localListing(manifest, provenance),
        title: `not the registry's ${entry.id}: ${provenance.reason}`,
        default: registry.defaults[entry.task] === entry.id,
      }
    }
    const dtypes = entry.source === null ? [] : (Object.keys(entry.source.dtypes) as Dtype[])
    const downloadBytes: Partial<Record<Dtype, number | null>> = {}
    for (const d of dtypes) downloadBytes[d] = knownSize(filesFor(entry.source!, d)!)
    return {
      id: entry.id,
      task: entry.task,
      title: entry.title,
      default: registry.defaults[entry.task] === entry.id,
      licence: entry.licence.spdx,
      source: entry.source === null ? 'export' : 'hub',
      repo: entry.source?.repo ?? null,
      dtypes,
      downloadBytes,
      installed: manifest === undefined ? [] : installedDtypes(manifest),
      installedBytes: manifest === undefined ? 0 : manifestBytes(manifest),
      provenance,
    }
  })
  const local = manifests
    .filter((m) => !registry.models.some((e) => e.id === m.id))
    .map((m) => localListing(m, provenanceOf(undefined, m, modelDir(paths, m.id))))
  return [...fromRegistry, ...local]
}

function localListing(m: Manifest, provenance: Provenance): ModelListing {
  return {
    id: m.id,
    task: m.task,
    title: m.source.kind === 'import' ? `imported from ${m.source.from}` : m.source.repo,
    default: false,
    licence: null,
    source: 'local',
    repo: m.source.kind === 'hub' ? m.source.repo : null,
    dtypes: installedDtypes(m),
    downloadBytes: {},
    installed: installedDtypes(m),
    installedBytes: manifestBytes(m),
    provenance,
  }
}

/**
 * Download sizes the registry does not pin, asked of the hub (one HEAD per file; `dpt models list --remote`).
 * A dtype whose files the hub does not have (404) is reported as null rather than failing the listing.
 */
export async function withRemoteSizes(registry: Registry, listing: readonly ModelListing[], settings: HubSettings): Promise<ModelListing[]> {
  const sized: ModelListing[] = []
  for (const model of listing) {
    const entry = registry.models.find((m) => m.id === model.id)
    if (entry?.source === null || entry === undefined) {
      sized.push(model)
      continue
    }
    const source = entry.source
    const sizes = new Map<string, number | null>()
    const sizeOf = async (file: RegistryFile): Promise<number | null> => {
      if (file.size !== null) return file.size
      if (!sizes.has(file.path)) {
        const remote = await inspectFile(settings, source.repo, source.revision, file).catch((error: unknown) => {
          if (error instanceof DptError && /^Not found/.test(error.message)) return undefined
          throw error
        })
        sizes.set(file.path, remote?.size ?? null)
      }
      return sizes.get(file.path) ?? null
    }
    const downloadBytes: Partial<Record<Dtype, number | null>> = {}
    for (const dtype of model.dtypes) {
      const each = await Promise.all(filesFor(source, dtype)!.map(sizeOf))
      downloadBytes[dtype] = each.every((n) => n !== null) ? each.reduce((s: number, n) => s + n, 0) : null
    }
    sized.push({...model, downloadBytes})
  }
  return sized
}
