import {createHash} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A local stand-in for the Hugging Face hub, on 127.0.0.1 and a random port, behaving as the real one does for
 * `GET|HEAD /{repo}/resolve/{revision}/{path}`: files stored in LFS (here: *.onnx) answer 302 to a CDN on
 * another origin (a second server) with X-Linked-Etag (their sha256), X-Linked-Size and X-Repo-Commit;
 * other files answer 200 with ETag = their git blob sha1. The CDN honours `Range: bytes=N-`. Faults are
 * switched on per test: statuses, a dropped connection, a stall, a slow trickle, tampered bytes.
 */
export interface HubFaults {
  /** Answer the resolve URL of this path with a status (and X-Error-Code) instead of the file. */
  status?: {path: string; code: number; errorCode?: string}
  /** 500 on this many CDN GETs before serving normally. */
  serverErrors?: number
  /** Close the connection after this many body bytes on the next CDN GET(s) (count). */
  dropAfter?: {bytes: number; times: number}
  /** Send this many bytes then go silent (never finish) on the next CDN GET. */
  stallAfter?: number
  /** Send the body in chunks of `bytes` every `ms`. */
  trickle?: {bytes: number; ms: number}
  /** Serve different bytes than the advertised hash. */
  tamper?: boolean
  /** Only answer requests with this bearer token (401 GatedRepo otherwise). */
  token?: string
  /** LFS redirects without X-Linked-Etag or ETag (nothing to verify against). */
  noEtag?: boolean
  /** Send the first chunk of a CDN body, then wait for this promise before the rest. */
  gate?: Promise<void>
  /** Answer resolve URLs of repository `from` with a relative 307 to `to` (a renamed repository). */
  moved?: {from: string; to: string}
}

export interface LoggedRequest {
  readonly server: 'hub' | 'cdn'
  readonly method: string
  readonly url: string
  readonly range: string | undefined
  readonly authorization: string | undefined
}

export interface HubServer {
  readonly endpoint: string
  readonly cdnOrigin: string
  readonly log: LoggedRequest[]
  faults: HubFaults
  /** Bytes of body the CDN actually sent, per request. */
  readonly cdnBodies: number[]
  close(): Promise<void>
}

export const COMMIT = '0123456789abcdef0123456789abcdef01234567'
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')
const gitSha1 = (data: Buffer): string => createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex')

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    }),
  )
}

/** `repos` maps a repository id to its files (path in the repository → content). */
export async function startHubServer(repos: Record<string, Record<string, Buffer>>): Promise<HubServer> {
  const log: LoggedRequest[] = []
  const cdnBodies: number[] = []
  const blobs = new Map<string, Buffer>()
  const sockets = new Set<import('node:net').Socket>()
  const state: {faults: HubFaults} = {faults: {}}
  const record = (server: 'hub' | 'cdn', req: IncomingMessage): void => {
    log.push({server, method: req.method ?? '', url: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization})
  }

  const cdn = createServer((req, res) => {
    record('cdn', req)
    const faults = state.faults
    const blob = blobs.get((req.url ?? '').replace(/^\/blobs\//, ''))
    if (blob === undefined) return void res.writeHead(404).end()
    if ((faults.serverErrors ?? 0) > 0) {
      faults.serverErrors!--
      return void res.writeHead(500).end('busy')
    }
    const data = faults.tamper === true ? Buffer.concat([blob.subarray(0, blob.length - 1), Buffer.from([blob[blob.length - 1]! ^ 0xff])]) : blob
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    const start = match === null ? 0 : Number(match[1])
    if (start >= data.length && match !== null) return void res.writeHead(416, {'content-range': `bytes */${data.length}`}).end()
    const body = data.subarray(start)
    res.writeHead(match === null ? 200 : 206, {
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      ...(match === null ? {} : {'content-range': `bytes ${start}-${data.length - 1}/${data.length}`}),
    })
    if (req.method === 'HEAD') return void res.end()
    send(res, body, faults)
  })

  function send(res: ServerResponse, body: Buffer, faults: HubFaults): void {
    let sent = 0
    const index = cdnBodies.push(0) - 1
    const drop = faults.dropAfter !== undefined && faults.dropAfter.times > 0 ? faults.dropAfter.bytes : undefined
    if (drop !== undefined) faults.dropAfter!.times--
    const stall = faults.stallAfter
    if (stall !== undefined) delete faults.stallAfter
    let gate = faults.gate
    const chunk = faults.trickle?.bytes ?? 64 * 1024
    const pause = faults.trickle?.ms ?? 0
    const next = (): void => {
      const limit = Math.min(body.length, drop ?? Infinity, stall ?? Infinity)
      if (sent >= limit) {
        // Close mid-body once the client had a moment to read what was sent (a reset loses bytes in flight).
        if (drop !== undefined && sent >= drop) return void setTimeout(() => res.socket?.destroy(), 100)
        if (stall !== undefined && sent >= stall) return // silent, until the client gives up
        return void res.end()
      }
      const piece = body.subarray(sent, Math.min(limit, sent + chunk))
      sent += piece.length
      cdnBodies[index] = sent
      res.write(piece)
      if (gate !== undefined) {
        void gate.then(next)
        gate = undefined
      } else if (pause > 0) setTimeout(next, pause)
      else setImmediate(next)
    }
    next()
  }

  const hub = createServer((req, res) => {
    record('hub', req)
    const faults = state.faults
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(req.url ?? '')
    if (m === null) return void res.writeHead(404, {'x-error-code': 'RepoNotFound'}).end()
    const [, repo, , rawPath] = m
    const path = decodeURIComponent(rawPath!)
    const moved = faults.moved
    if (moved !== undefined && moved.from === repo) return void res.writeHead(307, {location: (req.url ?? '').replace(`/${repo}/`, `/${moved.to}/`)}).end()
    if (faults.token !== undefined && req.headers.authorization !== `Bearer ${faults.token}`) {
      return void res.writeHead(401, {'x-error-code': 'GatedRepo', 'x-error-message': 'Access to this repository is restricted.'}).end()
    }
    if (faults.status?.path === path) {
      return void res.writeHead(faults.status.code, faults.status.errorCode === undefined ? {} : {'x-error-code': faults.status.errorCode}).end()
    }
    const files = repos[repo!]
    if (files === undefined) return void res.writeHead(401, {'x-error-code': 'RepoNotFound'}).end()
    const data = files[path]
    if (data === undefined) return void res.writeHead(404, {'x-error-code': 'EntryNotFound'}).end()
    if (path.endsWith('.onnx')) {
      const hash = sha256(data)
      blobs.set(hash, data)
      return void res
        .writeHead(302, {
          location: `${cdnOrigin}/blobs/${hash}`,
          'x-linked-size': String(data.length),
          'x-repo-commit': COMMIT,
          ...(faults.noEtag === true
            ? {}
            : {'x-linked-etag': `"${hash}"`, etag: `"${gitSha1(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${hash}\n`))}"`}),
        })
        .end()
    }
    res.writeHead(200, {'content-length': String(data.length), etag: `"${gitSha1(data)}"`, 'x-repo-commit': COMMIT})
    res.end(req.method === 'HEAD' ? undefined : data)
  })

  for (const server of [hub, cdn])
    server.on('connection', (s) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
  const endpoint = await listen(hub)
  const cdnOrigin = await listen(cdn)
  return {
    endpoint,
    cdnOrigin,
    log,
    cdnBodies,
    get faults() {
      return state.faults
    },
    set faults(f: HubFaults) {
      state.faults = f
    },
    async close() {
      for (const s of sockets) s.destroy()
      await Promise.all([hub, cdn].map((s) => new Promise((r) => s.close(r))))
    },
  }
}
