import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

/** The fields of a package-lock.json v3 entry that a registry's version document also carries. */
interface LockEntry {
  readonly name?: string
  readonly version?: string
  readonly integrity?: string
  readonly dev?: boolean
  readonly link?: boolean
  readonly [field: string]: unknown
}

const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'os', 'cpu', 'libc', 'engines']

export interface LockfileRegistry {
  readonly url: string
  /** Every request that was not a known package document, e.g. a tarball missing from the npm cache. */
  readonly misses: string[]
  close(): Promise<void>
}

/**
 * A loopback npm registry whose package documents are made from a package-lock.json: each non-dev package at
 * the versions the lockfile holds. It serves no tarball: npm takes those from its cache by integrity (pacote
 * does before any request), which `npm ci` filled. So `npm install` resolves exactly as against the real
 * registry, for these versions, without leaving the machine; a tarball npm still asks for is a recorded miss.
 */
export async function startLockfileRegistry(lockfile: string): Promise<LockfileRegistry> {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as {packages: Record<string, LockEntry>}
  const documents = new Map<string, {name: string; 'dist-tags': {latest: string}; versions: Record<string, object>}>()
  const misses: string[] = []
  const server: Server = createServer((request, response) => {
    const name = decodeURIComponent((request.url ?? '/').slice(1))
    const document = documents.get(name)
    if (document === undefined) misses.push(`${request.method ?? 'GET'} ${request.url ?? ''}`)
    response.writeHead(document === undefined ? 404 : 200, {'content-type': 'application/json'})
    response.end(JSON.stringify(document ?? {error: 'not found'}))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true || entry.link === true || entry.version === undefined) continue
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    const manifest: Record<string, unknown> = {name, version: entry.version}
    for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field]
    const tarball = `${url}${name}/-/${name.split('/').pop() ?? name}-${entry.version}.tgz`
    manifest.dist = {tarball, integrity: entry.integrity}
    const document = documents.get(name) ?? {name, 'dist-tags': {latest: entry.version}, versions: {}}
    document.versions[entry.version] = manifest
    documents.set(name, document)
  }
  return {
    url,
    misses,
    close: () =>
      new Promise((done) =>
        server.close(() => {
          done()
        }),
      ),
  }
}
