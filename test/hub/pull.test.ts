/**
 * Pulls against a local hub-like server (test/helpers/hub-server.ts): verification, resume after a drop or a
 * stall, tampering, statuses, token handling, offline mode, the lock between concurrent pulls.
 */
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, beforeEach, describe, it} from 'node:test'
import {cachePaths, readManifest, type CachePaths} from '../../src/hub/cache.js'
import {hubSettings, type HubSettings} from '../../src/hub/http.js'
import {pullModel, type PullOptions} from '../../src/hub/pull.js'
import {loadRegistry, requireEntry, type Registry} from '../../src/hub/registry.js'
import {DptError} from '../../src/pipeline/errors.js'
import {COMMIT, startHubServer, type HubServer} from '../helpers/hub-server.js'
import {tinyRepo, TINY_REPO, writeTestRegistry} from '../helpers/hub-fixture.js'

const files = tinyRepo()
const onnx = files['onnx/model.onnx']!
const onnxSha = createHash('sha256').update(onnx).digest('hex')
const fp32: PullOptions = {dtype: 'fp32', offline: false, allowUnverified: false}

describe('pullModel against a hub-like server', () => {
  let hub: HubServer
  let registry: Registry
  let paths: CachePaths
  let settings: HubSettings
  const pull = (options: PullOptions = fp32, s: HubSettings = settings) => pullModel(registry, paths, s, requireEntry(registry, 'tiny'), options)
  const cdnGets = () => hub.log.filter((r) => r.server === 'cdn' && r.method === 'GET')

  before(async () => {
    hub = await startHubServer({[TINY_REPO]: files})
    const pinned = (id: string, sha256: string) => ({
      ...(JSON.parse(readFileSync(writeTestRegistry(), 'utf8')) as {models: object[]}).models[0],
      id,
      source: {repo: TINY_REPO, revision: 'main', files: [], dtypes: {fp32: [{path: 'onnx/model.onnx', size: onnx.length, sha256}]}},
    })
    registry = loadRegistry({DPT_REGISTRY: writeTestRegistry([pinned('pinned-right', onnxSha), pinned('pinned-wrong', 'f'.repeat(64))])})
  })
  after(async () => hub.close())
  beforeEach(() => {
    hub.faults = {}
    hub.log.length = 0
    hub.cdnBodies.length = 0
    paths = cachePaths(mkdtempSync(join(tmpdir(), 'dpt-cache-')))
    settings = {endpoint: hub.endpoint, token: undefined, idleTimeoutMs: 2000, attempts: 4, retryDelayMs: 10}
  })

  it('installs every file byte for byte, verified, with a manifest naming the commit', async () => {
    const result = await pull()
    assert.equal(result.downloaded, true)
    assert.equal(result.commit, COMMIT)
    for (const [path, data] of Object.entries(files)) assert.deepEqual(readFileSync(join(result.dir, path)), data, path)
    const manifest = readManifest(result.dir)!
    const byPath = Object.fromEntries(manifest.files.map((f) => [f.path, f]))
    assert.deepEqual(byPath['onnx/model.onnx'], {path: 'onnx/model.onnx', size: onnx.length, sha256: onnxSha, verifiedBy: 'hub-sha256', dtype: 'fp32'})
    assert.equal(byPath['config.json']?.verifiedBy, 'hub-git-sha1') // small files: the hub's ETag is the git blob id
    assert.equal(byPath['config.json'].dtype, null)
    assert.deepEqual(readdirSync(paths.downloads), []) // parts renamed into place
    // A second pull finds it installed and makes no request.
    const count = hub.log.length
    assert.equal((await pull()).downloaded, false)
    assert.equal(hub.log.length, count)
  })

  it('resumes with a Range request after the connection drops mid-file', async () => {
    hub.faults = {dropAfter: {bytes: 100_000, times: 1}}
    const result = await pull()
    assert.deepEqual(readFileSync(join(result.dir, 'onnx/model.onnx')), onnx)
    // The resume starts at the bytes that reached the disk (all 100 000 unless the reset lost some in flight).
    const [first, second] = cdnGets().map((r) => r.range)
    assert.equal(first, undefined)
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(second ?? '')?.[1])
    assert.ok(resumedAt > 0 && resumedAt <= 100_000, `resumed with ${second}`)
    assert.deepEqual(hub.cdnBodies, [100_000, onnx.length - resumedAt])
  })

  it('resumes a part left by an interrupted earlier run', async () => {
    mkdirSync(paths.downloads, {recursive: true})
    writeFileSync(join(paths.downloads, `${onnxSha}.part`), onnx.subarray(0, 50_000))
    const result = await pull()
    assert.deepEqual(readFileSync(join(result.dir, 'onnx/model.onnx')), onnx)
    assert.deepEqual(
      cdnGets().map((r) => r.range),
      ['bytes=50000-'],
    )
  })

  it('gives up on a stalled connection after the idle timeout and resumes; a slow but steady response completes', async () => {
    hub.faults = {stallAfter: 70_000}
    const quick = {...settings, idleTimeoutMs: 1000}
    const started = performance.now()
    const result = await pull(fp32, quick)
    assert.deepEqual(readFileSync(join(result.dir, 'onnx/model.onnx')), onnx)
    assert.deepEqual(
      cdnGets().map((r) => r.range),
      [undefined, 'bytes=70000-'],
    )
    assert.ok(performance.now() - started < 8000)
    // 12 KB every 100 ms: ~2 s in all, twice the idle timeout, each gap a tenth of it.
    paths = cachePaths(mkdtempSync(join(tmpdir(), 'dpt-cache-')))
    hub.log.length = 0
    hub.faults = {trickle: {bytes: 12_000, ms: 100}}
    const slow = await pull(fp32, quick)
    assert.deepEqual(readFileSync(join(slow.dir, 'onnx/model.onnx')), onnx)
    assert.equal(cdnGets().length, 1)
  })

  it('rejects a tampered file, deletes it and installs nothing', async () => {
    hub.faults = {tamper: true}
    await assert.rejects(pull(), (e: DptError) => {
      assert.match(
        e.message,
        /onnx\/model\.onnx from test-org\/dpt-hybrid-tiny failed verification: sha256 [0-9a-f]{64} does not match the hub's [0-9a-f]{64}\. The download was deleted/,
      )
      assert.equal(e.exitCode, 4)
      return true
    })
    assert.equal(readManifest(join(paths.models, 'tiny')), undefined)
    assert.equal(existsSync(join(paths.models, 'tiny', 'onnx', 'model.onnx')), false)
    assert.deepEqual(readdirSync(paths.downloads), [])
  })

  it("a pinned sha256 wins over the hub's", async () => {
    const right = await pullModel(registry, paths, settings, requireEntry(registry, 'pinned-right'), fp32)
    assert.equal(readManifest(right.dir)!.files[0]?.verifiedBy, 'pinned-sha256')
    await assert.rejects(
      pullModel(registry, paths, settings, requireEntry(registry, 'pinned-wrong'), fp32),
      new RegExp(`sha256 ${onnxSha} does not match the pinned f{64}`),
    )
  })

  it('refuses a file with neither a pinned nor a hub sha256 unless told to accept it', async () => {
    hub.faults = {noEtag: true}
    await assert.rejects(pull(), /Cannot verify tiny: no pinned sha256 and no LFS sha256 from the hub \(onnx\/model\.onnx: the hub sent no ETag\)/)
    const accepted = await pull({...fp32, allowUnverified: true})
    assert.equal(readManifest(accepted.dir)!.files.find((f) => f.path === 'onnx/model.onnx')?.verifiedBy, 'none')
  })

  it('sends HF_TOKEN to the hub only, never to the CDN; without it a gated repo says what to do', async () => {
    hub.faults = {token: 'secret'}
    await assert.rejects(
      pull(),
      (e: DptError) => /answered 401 \(GatedRepo: Access to this repository is restricted\.\)/.test(e.message) && /set HF_TOKEN/.test(e.remedy ?? ''),
    )
    hub.log.length = 0
    await pull(fp32, {...settings, token: 'secret'})
    assert.ok(hub.log.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer secret'))
    assert.ok(cdnGets().length > 0 && cdnGets().every((r) => r.authorization === undefined))
  })

  it('names a missing file, and retries a 500 until the server recovers', async () => {
    hub.faults = {status: {path: 'onnx/model.onnx', code: 404, errorCode: 'EntryNotFound'}}
    await assert.rejects(pull(), /Not found: test-org\/dpt-hybrid-tiny has no file onnx\/model\.onnx at revision main/)
    hub.faults = {serverErrors: 2}
    const result = await pull()
    assert.deepEqual(readFileSync(join(result.dir, 'onnx/model.onnx')), onnx)
    assert.equal(cdnGets().length, 3)
    hub.faults = {serverErrors: 99}
    paths = cachePaths(mkdtempSync(join(tmpdir(), 'dpt-cache-')))
    await assert.rejects(pull(), /Download of test-org\/dpt-hybrid-tiny\/onnx\/model\.onnx failed after 4 attempts: .*answered 500/)
  })

  it("follows the hub's relative redirect of a renamed repository, with the token", async () => {
    // The old name answers with a relative 307 to the new one, as the hub does for a renamed repository.
    const moved = await startHubServer({'test-org/renamed': files})
    moved.faults = {moved: {from: TINY_REPO, to: 'test-org/renamed'}}
    try {
      const result = await pull(fp32, {...settings, endpoint: moved.endpoint, token: 't'})
      assert.deepEqual(readFileSync(join(result.dir, 'onnx/model.onnx')), onnx)
      const hubHeads = moved.log.filter((r) => r.server === 'hub' && r.method === 'HEAD').map((r) => r.url)
      assert.deepEqual(
        hubHeads.filter((u) => u.endsWith('/config.json')),
        [`/${TINY_REPO}/resolve/main/config.json`, '/test-org/renamed/resolve/main/config.json'],
      )
      assert.ok(moved.log.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer t'))
    } finally {
      await moved.close()
    }
  })

  it('a cache it cannot write to is named, with the remedy', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dpt-cache-')), 'a-file')
    writeFileSync(file, '')
    paths = cachePaths(join(file, 'cache'))
    await assert.rejects(
      pull(),
      (e: DptError) => /^Cannot write to the model cache at .*a-file\/cache\/locks \(ENOTDIR\)$/.test(e.message) && /DPT_CACHE/.test(e.remedy ?? ''),
    )
  })

  it('makes no request in offline mode', async () => {
    await assert.rejects(pull({...fp32, offline: true}), /tiny \(fp32\) is not in the cache .* offline mode forbids downloading it/)
    assert.equal(hub.log.length, 0)
  })

  it('honours HF_HUB_OFFLINE as huggingface_hub does', async () => {
    assert.equal(hubSettings({HF_HUB_OFFLINE: '1'}).offline, true)
    assert.equal(hubSettings({HF_HUB_OFFLINE: 'True'}).offline, true)
    assert.equal(hubSettings({HF_HUB_OFFLINE: '0'}).offline, false)
    assert.equal(hubSettings({}).offline, false)
    await assert.rejects(pull(fp32, {...settings, offline: true}), /tiny \(fp32\) is not in the cache .* HF_HUB_OFFLINE forbids downloading it/)
    assert.equal(hub.log.length, 0)
  })

  it('lets one of two concurrent pulls download while the other waits and reuses it', async () => {
    hub.faults = {trickle: {bytes: 32_000, ms: 20}}
    const waits: string[] = []
    const entry = requireEntry(registry, 'tiny')
    const [a, b] = await Promise.all([
      pullModel(registry, paths, settings, entry, fp32, {waiting: (id) => waits.push(id)}),
      pullModel(registry, paths, settings, entry, fp32, {waiting: (id) => waits.push(id)}),
    ])
    assert.deepEqual([a.downloaded, b.downloaded].sort(), [false, true])
    assert.deepEqual(waits, ['tiny'])
    assert.equal(cdnGets().length, 1)
    assert.deepEqual(readFileSync(join(a.dir, 'onnx/model.onnx')), onnx)
  })

  it('takes over a lock left by a pull that died (no heartbeat for longer than the stale time)', async () => {
    const lock = join(paths.locks, 'tiny.lock')
    mkdirSync(lock, {recursive: true})
    const past = new Date(Date.now() - 60_000)
    utimesSync(lock, past, past)
    const waits: string[] = []
    const result = await pullModel(registry, paths, settings, requireEntry(registry, 'tiny'), fp32, {waiting: (id) => waits.push(id)})
    assert.equal(result.downloaded, true)
    assert.deepEqual(waits, [])
    assert.equal(existsSync(lock), false) // released
  })

  it('says the hub is unreachable, with the URL and the remedies', async () => {
    const closed = await startHubServer({})
    const endpoint = closed.endpoint
    await closed.close()
    await assert.rejects(pull(fp32, {...settings, endpoint}), (e: DptError) => {
      assert.match(e.message, new RegExp(`Could not reach the model hub at ${endpoint}/test-org/dpt-hybrid-tiny/resolve/main/config\\.json \\(ECONNREFUSED\\)`))
      assert.match(e.remedy ?? '', /HTTPS_PROXY.*HF_ENDPOINT.*--model a local model folder.*--offline/)
      return true
    })
  })
})
