import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import type {Manifest, Verification} from './cache.js'
import {sha256File} from './verify.js'

export type FileStatus = 'ok' | 'missing' | 'size-changed' | 'content-changed'

export interface InstalledCheck {
  readonly id: string
  /** ok: every file matches its manifest; unverified: matches, but arrived without a hash to check. */
  readonly status: 'ok' | 'unverified' | 'damaged'
  readonly files: readonly {path: string; status: FileStatus; verifiedBy: Verification}[]
}

/** Re-hashes an installed model's files against its manifest (what `dpt doctor` reports). */
export async function checkInstalled(dir: string, manifest: Manifest): Promise<InstalledCheck> {
  const files: {path: string; status: FileStatus; verifiedBy: Verification}[] = []
  for (const file of manifest.files) {
    const path = join(dir, file.path)
    const status: FileStatus = !existsSync(path)
      ? 'missing'
      : statSync(path).size !== file.size
        ? 'size-changed'
        : (await sha256File(path)) !== file.sha256
          ? 'content-changed'
          : 'ok'
    files.push({path: file.path, status, verifiedBy: file.verifiedBy})
  }
  const damaged = files.some((f) => f.status !== 'ok')
  const status = damaged ? 'damaged' : files.some((f) => f.verifiedBy === 'none') ? 'unverified' : 'ok'
  return {id: manifest.id, status, files}
}
