import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {installedDtypes, type Manifest} from './cache.js'
import {filesFor, type RegistryEntry} from './registry.js'

/**
 * Whether an installed model is the registry's model of its id, or only something installed under that id.
 * - registry: pulled from the entry's repository (each file verified as it arrived), or imported with every file
 *   the registry pins matching (`pinned-sha256`), or, for a model with no published ONNX, exported from the
 *   registry's checkpoint (its dpt-export.json names a checkpoint whose sha256 starts with the pinned prefix);
 * - local: anything else, with the reason. A local model still runs under its id; lists say it is not the
 *   registry's, and `dpt models pull` will not mix registry files into it.
 */
export type Provenance =
  {readonly kind: 'registry'; readonly verifiedBy: 'download' | 'pinned-sha256' | 'export-record'} | {readonly kind: 'local'; readonly reason: string}

/** What `dpt models import` writes next to an export (tools/export_model.py): the part checked here. */
interface ExportRecord {
  readonly source?: {readonly kind?: string; readonly checkpoint?: string; readonly sha256?: string}
}

/** Files `--model DIR` reads: an extra one of these changes the model, whatever the pinned files say. */
const isLoaded = (path: string): boolean => ['config.json', 'preprocessor_config.json', 'dpt-card.json'].includes(path) || path.startsWith('onnx/')

const local = (reason: string): Provenance => ({kind: 'local', reason})

/** The provenance of an installed model (its manifest, its folder) against the registry entry of its id, if any. */
export function provenanceOf(entry: RegistryEntry | undefined, manifest: Manifest, dir: string): Provenance {
  if (entry === undefined) return local(`${manifest.id} is not a registry id`)
  if (manifest.source.kind === 'hub') {
    if (entry.source !== null && manifest.source.repo === entry.source.repo) return {kind: 'registry', verifiedBy: 'download'}
    return local(
      `pulled from ${manifest.source.repo}, but the registry's ${entry.id} ${entry.source === null ? 'has no published ONNX' : `is ${entry.source.repo}`}`,
    )
  }
  if (entry.source !== null) return importedHubModel(entry, entry.source, manifest)
  return exportedModel(entry, dir)
}

function importedHubModel(entry: RegistryEntry, source: NonNullable<RegistryEntry['source']>, manifest: Manifest): Provenance {
  const problems: string[] = []
  const unpinned: string[] = []
  const expected = new Map<string, string | null>()
  for (const dtype of installedDtypes(manifest)) {
    const files = filesFor(source, dtype)
    if (files === undefined) problems.push(`the registry's ${entry.id} has no ${dtype} variant`)
    for (const f of files ?? []) expected.set(f.path, f.sha256)
  }
  for (const [path, sha256] of expected) {
    const got = manifest.files.find((f) => f.path === path)
    if (got === undefined) problems.push(`${path} is missing`)
    else if (sha256 === null) unpinned.push(path)
    else if (got.sha256 !== sha256) problems.push(`${path} has sha256 ${got.sha256.slice(0, 12)}…, the registry pins ${sha256.slice(0, 12)}…`)
  }
  for (const f of manifest.files) if (isLoaded(f.path) && !expected.has(f.path)) problems.push(`${f.path} is not one of the registry's files`)
  if (problems.length > 0) return local(`its files do not match the registry's ${entry.id}: ${problems.join('; ')}`)
  if (unpinned.length > 0) return local(`the registry pins no sha256 for ${unpinned.join(', ')}, so an import cannot be told to be ${entry.id}`)
  return {kind: 'registry', verifiedBy: 'pinned-sha256'}
}

function exportedModel(entry: RegistryEntry, dir: string): Provenance {
  const checkpoint = entry.export?.checkpoint
  if (checkpoint === undefined || checkpoint.sha256Prefix === null) {
    return local(`the registry pins no checkpoint hash for ${entry.id} to check an export against`)
  }
  const path = join(dir, 'dpt-export.json')
  if (!existsSync(path)) return local(`no dpt-export.json (written by tools/export_model.py) says which checkpoint it was exported from`)
  let record: ExportRecord
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as ExportRecord
  } catch {
    return local('its dpt-export.json does not parse')
  }
  const sha256 = record.source?.sha256
  if (typeof sha256 !== 'string' || !sha256.startsWith(checkpoint.sha256Prefix)) {
    const from = `${record.source?.checkpoint ?? 'an unnamed checkpoint'} (sha256 ${typeof sha256 === 'string' ? `${sha256.slice(0, 12)}…` : 'not recorded'})`
    return local(`exported from ${from}, not the registry's ${checkpoint.file} (sha256 ${checkpoint.sha256Prefix}…)`)
  }
  return {kind: 'registry', verifiedBy: 'export-record'}
}
