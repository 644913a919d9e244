import type {Task} from '../model/card.js'
import type {Dtype} from '../model/locate.js'
import {installedDtypes, installedModels, manifestBytes, type CachePaths} from './cache.js'
import {filesFor, knownSize, type Registry} from './registry.js'

export interface ModelListing {
  readonly id: string
  readonly task: Task
  readonly title: string
  /** The model `dpt depth` / `dpt segment` use without --model. */
  readonly default: boolean
  readonly licence: string | null
  /** hub: downloadable; export: no ONNX published (export + import); local: only in the cache (imported). */
  readonly source: 'hub' | 'export' | 'local'
  readonly repo: string | null
  readonly dtypes: readonly Dtype[]
  /** Download size of each published dtype when the registry knows it. */
  readonly downloadBytes: Partial<Record<Dtype, number | null>>
  readonly installed: readonly Dtype[]
  readonly installedBytes: number
}

/** Registry models and installed ones (imported under ids the registry does not know included), registry order first. */
export function listModels(registry: Registry, paths: CachePaths): ModelListing[] {
  const manifests = installedModels(paths)
  const installedOf = (id: string) => manifests.find((m) => m.id === id)
  const fromRegistry = registry.models.map((entry): ModelListing => {
    const manifest = installedOf(entry.id)
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
    }
  })
  const local = manifests
    .filter((m) => !registry.models.some((e) => e.id === m.id))
    .map((m): ModelListing => ({
      id: m.id,
      task: m.task,
      title: m.source.kind === 'import' ? `imported from ${m.source.from}` : `${m.source.repo}`,
      default: false,
      licence: null,
      source: 'local',
      repo: m.source.kind === 'hub' ? m.source.repo : null,
      dtypes: installedDtypes(m),
      downloadBytes: {},
      installed: installedDtypes(m),
      installedBytes: manifestBytes(m),
    }))
  return [...fromRegistry, ...local]
}
