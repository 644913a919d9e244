import {createHash} from 'node:crypto'
import {mkdir, open, rename, rm, stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {cacheWriteError, type Verification} from './cache.js'
import {hubRequest, statusError, TransientError, type HubResponse, type HubSettings} from './http.js'
import type {RegistryFile} from './registry.js'
import {checkFile, expectationFor, normaliseEtag, partKey, type Expectation} from './verify.js'

/** What the hub says about a file before its bytes are fetched (the redirect of a resolve URL carries it). */
export interface RemoteFile {
  readonly file: RegistryFile
  /** Where the bytes are: the CDN location of an LFS file, or the resolve URL itself. */
  readonly dataUrl: string
  readonly size: number | null
  readonly commit: string | null
  readonly expectation: Expectation
}

const MAX_REDIRECTS = 5

export const resolveUrl = (settings: HubSettings, repo: string, revision: string, path: string): string =>
  `${settings.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`

async function withRetries<T>(settings: HubSettings, what: string, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      if (!(error instanceof TransientError)) throw error
      if (n >= settings.attempts) {
        throw new DptError(`Download of ${what} failed after ${n} attempts: ${error.message}`, {
          exitCode: ExitCode.model,
          cause: error,
          remedy:
            'Run the same command again: the part already downloaded is kept and resumed. DPT_HTTP_TIMEOUT (seconds) sets how long a silent connection is waited for.',
        })
      }
      await new Promise((r) => setTimeout(r, settings.retryDelayMs * 2 ** (n - 1)))
    }
  }
}

/** HEAD on the resolve URL (same-origin redirects followed, as when a repository was renamed). */
export async function inspectFile(settings: HubSettings, repo: string, revision: string, file: RegistryFile): Promise<RemoteFile> {
  const where = {repo, revision, path: file.path}
  return withRetries(settings, `${repo}/${file.path}`, async () => {
    let url = resolveUrl(settings, repo, revision, file.path)
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await hubRequest(settings, 'HEAD', url)
      await response.body.dump()
      const h = response.headers
      const linked = normaliseEtag(h['x-linked-etag'])
      const location = h.location === undefined ? undefined : new URL(h.location, url).toString()
      const sizeHeader = h['x-linked-size'] ?? (response.status === 200 ? h['content-length'] : undefined)
      const remote = (dataUrl: string): RemoteFile => ({
        file,
        dataUrl,
        size: sizeHeader === undefined ? null : Number(sizeHeader),
        commit: h['x-repo-commit'] ?? null,
        expectation: expectationFor(file.sha256, linked, normaliseEtag(h.etag)),
      })
      if (response.status >= 300 && response.status < 400 && location !== undefined) {
        // The LFS redirect carries the file's metadata; a bare same-origin redirect (renamed repo) is followed.
        if (linked !== undefined || new URL(location).origin !== new URL(url).origin) return remote(location)
        url = location
        continue
      }
      if (response.status === 200) return remote(url)
      throw statusError(settings, response, where)
    }
    throw new DptError(`Too many redirects for ${resolveUrl(settings, repo, revision, file.path)}`, {exitCode: ExitCode.model})
  })
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    return 0
  }
}

/** GET from `offset` (a Range request when > 0), following redirects; returns the response and where its body starts. */
async function openBody(
  settings: HubSettings,
  remote: RemoteFile,
  offset: number,
  repo: string,
  revision: string,
): Promise<{response: HubResponse; start: number}> {
  let url = remote.dataUrl
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await hubRequest(settings, 'GET', url, offset > 0 ? {range: `bytes=${offset}-`} : {})
    const location = response.headers.location
    if (response.status >= 300 && response.status < 400 && location !== undefined) {
      await response.body.dump()
      url = new URL(location, url).toString()
      continue
    }
    if (response.status === 206) {
      const start = Number(/^bytes (\d+)-/.exec(response.headers['content-range'] ?? '')?.[1])
      if (start !== offset) {
        await response.body.dump()
        throw new TransientError(`${url} answered a Range request for byte ${offset} with ${response.headers['content-range']}`)
      }
      return {response, start}
    }
    // A server that ignores Range sends the whole file: start over.
    if (response.status === 200) return {response, start: 0}
    await response.body.dump()
    if (response.status === 416) return {response, start: -1}
    throw statusError(settings, response, {repo, revision, path: remote.file.path})
  }
  throw new DptError(`Too many redirects for ${remote.dataUrl}`, {exitCode: ExitCode.model})
}

export interface FetchedFile {
  readonly size: number
  readonly sha256: string
  readonly verifiedBy: Verification
}

/**
 * Downloads one file into `dest`: bytes go to downloads/<content hash>.part (kept across runs, so an interrupted
 * download resumes with a Range request), the complete file is verified, then renamed into place.
 * A file that fails verification is deleted and reported, never installed.
 */
export async function downloadFile(
  settings: HubSettings,
  remote: RemoteFile,
  where: {repo: string; revision: string; downloads: string; dest: string},
  onBytes: (delta: number) => void,
): Promise<FetchedFile> {
  const {file, expectation} = remote
  const key = partKey(expectation) ?? `unverified-${createHash('sha256').update(remote.dataUrl).digest('hex')}`
  const part = join(where.downloads, `${key}.part`)
  await mkdir(where.downloads, {recursive: true}).catch((error: unknown) => {
    throw cacheWriteError(where.downloads, error)
  })
  const expectedSize = file.size ?? remote.size
  // Progress reports bytes on disk, whatever happens to the part between attempts.
  let reported = 0
  const report = (onDisk: number): void => {
    onBytes(onDisk - reported)
    reported = onDisk
  }
  await withRetries(settings, `${where.repo}/${file.path}`, async () => {
    // The part is open before the request: a body that fails at once must find its reader attached.
    const handle = await open(part, 'a')
    try {
      let offset = (await handle.stat()).size
      if (expectedSize !== null && offset > expectedSize) {
        await handle.truncate(0)
        offset = 0
      }
      report(offset)
      if (expectedSize !== null && offset === expectedSize) return
      const {response, start} = await openBody(settings, remote, offset, where.repo, where.revision)
      if (start === -1 || (start === 0 && offset > 0)) {
        // 416 (the part is no prefix of this file) or a server ignoring Range: start again from zero.
        await handle.truncate(0)
        report(0)
        if (start === -1) throw new TransientError(`${remote.dataUrl} refused to resume at byte ${offset}`)
      }
      // Each chunk is on disk (append mode) before the next is read: what arrived before a drop is kept.
      try {
        for await (const chunk of response.body) {
          await handle.write(chunk as Buffer).catch((error: unknown) => {
            throw cacheWriteError(part, error)
          })
          report(reported + (chunk as Buffer).length)
        }
      } catch (error) {
        if (error instanceof DptError) throw error
        throw new TransientError(`${remote.dataUrl}: connection lost after ${reported} bytes (${(error as Error).message})`, {cause: error})
      }
    } finally {
      await handle.close()
    }
    const got = await sizeOf(part)
    if (expectedSize !== null && got < expectedSize) throw new TransientError(`${remote.dataUrl}: connection closed at byte ${got} of ${expectedSize}`)
  })
  const size = await sizeOf(part)
  const check = await checkFile(part, size, expectation)
  const problem = check.problem ?? (expectedSize !== null && size !== expectedSize ? `size ${size} is not the expected ${expectedSize}` : undefined)
  if (problem !== undefined) {
    await rm(part, {force: true})
    throw new DptError(`${file.path} from ${where.repo} failed verification: ${problem}. The download was deleted; nothing was installed.`, {
      exitCode: ExitCode.model,
      remedy:
        'Pull again. If it fails again, something between you and the hub (a proxy, or a mirror at HF_ENDPOINT) alters the file, or the registry pin is out of date.',
    })
  }
  await mkdir(dirname(where.dest), {recursive: true})
  await rename(part, where.dest)
  return {size, sha256: check.sha256, verifiedBy: check.verifiedBy}
}
