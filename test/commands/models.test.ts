/**
 * The CLI end to end against the local hub-like server: the default model pulled on first use, offline mode,
 * an unreachable hub, models list / info / rm / import, two concurrent pulls in two processes, proxies, doctor.
 * Every test uses its own DPT_CACHE in a temp dir and the test registry (DPT_REGISTRY).
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {connect, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, beforeEach, describe, it} from 'node:test'
import type {DoctorResult} from '../../src/commands/doctor.js'
import type {ModelsImportResult} from '../../src/commands/models/import.js'
import type {ModelsInfoResult} from '../../src/commands/models/info.js'
import type {ModelsListResult} from '../../src/commands/models/list.js'
import type {ModelsPullResult} from '../../src/commands/models/pull.js'
import {formatBytes} from '../../src/ui/download-progress.js'
import {runCli} from '../helpers/cli.js'
import {fixture, repoRoot} from '../helpers/fixtures.js'
import {hubEnv, tinyRepo, TINY_REPO, writeTestRegistry} from '../helpers/hub-fixture.js'
import {startHubServer, type HubServer} from '../helpers/hub-server.js'
import {type RunResult} from '../../src/pipeline/images.js'

/** oclif wraps error text at the terminal width: compare it as one line. */
const oneLine = (text: string): string => text.replace(/\n ›\s+/g, ' ').replace(/\s+/g, ' ')

describe('dpt models, default model and doctor (CLI)', () => {
  let hub: HubServer
  let registry = ''
  let images = ''
  before(async () => {
    hub = await startHubServer({[TINY_REPO]: tinyRepo()})
    registry = writeTestRegistry()
    images = mkdtempSync(join(tmpdir(), 'dpt-imgs-'))
    for (const name of ['astronaut-200x113.png', 'half-even-96x36.png']) copyFileSync(fixture('images', name), join(images, name))
  })
  after(async () => hub.close())
  beforeEach(() => {
    hub.faults = {}
    hub.log.length = 0
  })

  it('dpt depth without --model pulls the default once with a notice on stderr, then runs offline', async () => {
    const env = hubEnv(hub.endpoint, registry)
    const out = join(mkdtempSync(join(tmpdir(), 'dpt-out-')), 'out')
    const r = await runCli(['depth', images, '-o', out, '--json'], {env})
    assert.equal(r.code, 0, r.stderr)
    const summary = JSON.parse(r.stdout) as RunResult
    assert.equal(summary.counts.processed, 2)
    assert.deepEqual(readdirSync(out).sort(), ['astronaut-200x113.png', 'half-even-96x36.png'])
    const dest = join(env.DPT_CACHE!, 'models', 'tiny')
    const bytes = formatBytes(Object.values(tinyRepo()).reduce((sum, b) => sum + b.length, 0))
    assert.ok(
      oneLine(r.stderr).includes(`model not in the cache yet: downloading tiny (fp32, ${bytes}) from ${hub.endpoint}/${TINY_REPO} into ${dest}`),
      r.stderr,
    )
    // Second run: from the cache, offline, not one request.
    const requests = hub.log.length
    const again = await runCli(['depth', images, '-o', out, '--overwrite', '--offline'], {env})
    assert.equal(again.code, 0, again.stderr)
    assert.doesNotMatch(again.stderr, /downloading/)
    assert.equal(hub.log.length, requests)
    // --model takes the registry id too.
    const byId = await runCli(['depth', images, '-o', out, '--overwrite', '--model', 'tiny'], {env: {...env, DPT_OFFLINE: '1'}})
    assert.equal(byId.code, 0, byId.stderr)
  })

  it('offline with an empty cache, or an unreachable hub, says what to do and exits 4', async () => {
    const offline = await runCli(['depth', images, '-o', join(tmpdir(), 'never')], {env: hubEnv(hub.endpoint, registry, {DPT_OFFLINE: '1'})})
    assert.equal(offline.code, 4)
    assert.match(
      oneLine(offline.stderr),
      /tiny \(fp32\) is not in the cache .* and offline mode forbids downloading it Run `dpt models pull tiny --dtype fp32` where the hub is reachable .* or pass --model a local model folder/,
    )
    assert.equal(hub.log.length, 0)
    const closed = await startHubServer({})
    await closed.close()
    const unreachable = await runCli(['depth', images, '-o', join(tmpdir(), 'never')], {env: hubEnv(closed.endpoint, registry)})
    assert.equal(unreachable.code, 4)
    assert.match(
      oneLine(unreachable.stderr),
      new RegExp(
        `Could not reach the model hub at ${closed.endpoint}/${TINY_REPO}/resolve/main/config\\.json \\(ECONNREFUSED\\) Check the network connection and proxy settings`,
      ),
    )
  })

  it('the segmentation default has no published ONNX: the error names the exporter and import; an import makes it the default', async () => {
    const env = hubEnv(hub.endpoint, registry)
    const out = join(mkdtempSync(join(tmpdir(), 'dpt-out-')), 'out')
    const missing = await runCli(['segment', images, '-o', out], {env})
    assert.equal(missing.code, 4)
    assert.match(oneLine(missing.stderr), /tiny-seg \(the default segmentation model\) is not installed, and no ONNX of it is published to download/)
    assert.match(
      oneLine(missing.stderr),
      /tools\/\.venv\/bin\/python tools\/export_model\.py isl-org --checkpoint tiny-ade\.pt --variant hybrid --task ade20k --out DIR && dpt models import DIR --id tiny-seg/,
    )
    // A depth model cannot be imported as the segmentation entry.
    const wrong = await runCli(['models', 'import', fixture('models', 'dpt-hybrid-tiny'), '--id', 'tiny-seg'], {env})
    assert.equal(wrong.code, 4)
    assert.match(oneLine(wrong.stderr), /is a depth model but registry id tiny-seg is a segmentation model/)
    const imported = await runCli(['models', 'import', fixture('models', 'dpt-hybrid-ade-tiny'), '--id', 'tiny-seg', '--json'], {env})
    assert.equal(imported.code, 0, imported.stderr)
    const result = JSON.parse(imported.stdout) as ModelsImportResult
    assert.deepEqual([result.id, result.task, result.dtypes, result.replaced], ['tiny-seg', 'segmentation', ['fp32'], false])
    assert.deepEqual(
      result.files.map((f) => [f.path, f.verifiedBy, f.dtype]),
      [
        ['config.json', 'imported', null],
        ['dpt-card.json', 'imported', null],
        ['onnx/model.onnx', 'imported', 'fp32'],
        ['preprocessor_config.json', 'imported', null],
      ],
    )
    const again = await runCli(['models', 'import', fixture('models', 'dpt-hybrid-ade-tiny'), '--id', 'tiny-seg'], {env})
    assert.equal(again.code, 2)
    assert.match(oneLine(again.stderr), /tiny-seg is already in the cache .* Pass --force to replace it/)
    const seg = await runCli(['segment', images, '-o', out, '--format', 'labels', '--json'], {env})
    assert.equal(seg.code, 0, seg.stderr)
    assert.equal((JSON.parse(seg.stdout) as RunResult).counts.processed, 2)
    assert.equal(hub.log.length, 0)
  })

  it('models pull, list, info and rm', async () => {
    const env = hubEnv(hub.endpoint, registry)
    const before = JSON.parse((await runCli(['models', 'list', '--json'], {env})).stdout) as ModelsListResult
    assert.equal(before.cache, env.DPT_CACHE)
    assert.deepEqual(
      before.models.map((m) => [m.id, m.task, m.default, m.source, m.installed]),
      [
        ['tiny', 'depth', true, 'hub', []],
        ['tiny-seg', 'segmentation', true, 'export', []],
      ],
    )
    const remote = JSON.parse((await runCli(['models', 'list', '--remote', '--json'], {env})).stdout) as ModelsListResult
    const total = Object.values(tinyRepo()).reduce((s, b) => s + b.length, 0)
    assert.deepEqual(
      remote.models.map((m) => m.downloadBytes),
      [{fp32: total}, {}],
    )
    const pulled = await runCli(['models', 'pull', 'tiny', '--json'], {env})
    assert.equal(pulled.code, 0, pulled.stderr)
    const pull = JSON.parse(pulled.stdout) as ModelsPullResult
    assert.equal(pull.downloaded, true)
    assert.equal(pull.downloadedBytes, total)
    const list = JSON.parse((await runCli(['models', 'list', '--json'], {env})).stdout) as ModelsListResult
    assert.deepEqual(list.models[0]?.installed, ['fp32'])
    assert.equal(list.models[0].installedBytes, pull.downloadedBytes)
    const human = await runCli(['models', 'list'], {env})
    assert.match(human.stdout, /^tiny \*\s+depth\s+yes \(fp32\)\s+2\d\d\.\d KiB\s+hub test-org\/dpt-hybrid-tiny\s+CC0-1\.0$/m)
    const info = JSON.parse((await runCli(['models', 'info', 'tiny', '--json'], {env})).stdout) as ModelsInfoResult
    assert.equal(info.entry?.source?.repo, TINY_REPO)
    assert.equal(info.installed?.source.kind, 'hub')
    assert.equal(info.installed.files.length, 4)
    const noDtype = await runCli(['models', 'pull', 'tiny', '--dtype', 'fp16'], {env})
    assert.equal(noDtype.code, 4)
    assert.match(oneLine(noDtype.stderr), /tiny has no fp16 variant Use --dtype fp32/)
    const rm = await runCli(['models', 'rm', 'tiny', '--json'], {env})
    assert.equal(rm.code, 0, rm.stderr)
    assert.equal(existsSync(join(env.DPT_CACHE!, 'models', 'tiny')), false)
    // A folder with Hugging Face config files only, under its own name: listed as a local model.
    const own = await runCli(['models', 'import', fixture('models', 'dpt-large-tiny'), '--json'], {env})
    assert.equal(own.code, 0, own.stderr)
    assert.deepEqual([(JSON.parse(own.stdout) as ModelsImportResult).id, (JSON.parse(own.stdout) as ModelsImportResult).task], ['dpt-large-tiny', 'depth'])
    const after = JSON.parse((await runCli(['models', 'list', '--json'], {env})).stdout) as ModelsListResult
    assert.deepEqual(
      after.models.map((m) => [m.id, m.source, m.installed]),
      [
        ['tiny', 'hub', []],
        ['tiny-seg', 'export', []],
        ['dpt-large-tiny', 'local', ['fp32']],
      ],
    )
    const unknown = await runCli(['models', 'info', 'nope'], {env})
    assert.equal(unknown.code, 2)
    assert.match(oneLine(unknown.stderr), /Unknown model id nope Known ids: tiny, tiny-seg/)
  })

  it('two pulls of the same model in two processes: one downloads, the other waits and reuses it', async () => {
    const env = hubEnv(hub.endpoint, registry)
    // The first pull's download is held after its first chunk until the second pull says it is waiting.
    let release = (): void => undefined
    hub.faults = {gate: new Promise<void>((r) => (release = r))}
    const safety = setTimeout(() => {
      release()
    }, 30_000)
    const first = runCli(['models', 'pull', 'tiny', '--json'], {env})
    while (!hub.log.some((r) => r.server === 'cdn' && r.method === 'GET')) await new Promise((r) => setTimeout(r, 20))
    const second = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'models', 'pull', 'tiny', '--json'], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    second.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    second.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (stderr.includes('waiting for it to finish')) release()
    })
    const code = await new Promise<number | null>((r) => second.on('close', r))
    const a = await first
    clearTimeout(safety)
    assert.equal(a.code, 0, a.stderr)
    assert.equal(code, 0, stderr)
    assert.match(stderr, /^tiny: another dpt process is downloading it; waiting for it to finish$/m)
    assert.deepEqual([(JSON.parse(a.stdout) as ModelsPullResult).downloaded, (JSON.parse(stdout) as ModelsPullResult).downloaded], [true, false])
    // One download from the start; on a loaded machine the held first pull may time out (DPT_HTTP_TIMEOUT) and
    // resume with a Range request, which is the same download going on, not a second one.
    assert.equal(hub.log.filter((r) => r.server === 'cdn' && r.method === 'GET' && r.range === undefined).length, 1)
  })

  it('honours HTTP_PROXY (through a CONNECT proxy) and NO_PROXY', async () => {
    const connects: string[] = []
    const proxy: Server = createServer()
    proxy.on('connect', (req, socket) => {
      connects.push(req.url ?? '')
      const [host, port] = (req.url ?? '').split(':')
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(socket)
        socket.pipe(upstream)
      })
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    try {
      const via = await runCli(['models', 'pull', 'tiny'], {env: hubEnv(hub.endpoint, registry, {HTTP_PROXY: proxyUrl})})
      assert.equal(via.code, 0, via.stderr)
      assert.deepEqual([...new Set(connects)].sort(), [new URL(hub.endpoint).host, new URL(hub.cdnOrigin).host].sort())
      connects.length = 0
      const direct = await runCli(['models', 'pull', 'tiny'], {env: hubEnv(hub.endpoint, registry, {HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1'})})
      assert.equal(direct.code, 0, direct.stderr)
      assert.deepEqual(connects, [])
    } finally {
      await new Promise((r) => proxy.close(r))
    }
  })

  it('doctor reports runtime, providers, CPU, threads, cache and re-verifies installed models', async () => {
    const env = hubEnv(hub.endpoint, registry)
    assert.equal((await runCli(['models', 'pull', 'tiny'], {env})).code, 0)
    const ok = JSON.parse((await runCli(['doctor', '--json'], {env})).stdout) as DoctorResult
    assert.equal(ok.runtime.onnxruntime, '1.30.0')
    assert.deepEqual(
      ok.runtime.providers.find((p) => p.name === 'cpu'),
      {name: 'cpu', installed: true, usable: true},
    )
    const cuda = ok.runtime.providers.find((p) => p.name === 'cuda')
    assert.equal(cuda?.installed, false)
    assert.match(cuda.reason ?? '', /onnxruntime-node\/script\/install\.js" --onnxruntime-node-install=cuda12/)
    assert.ok(ok.cpu.cores >= 1 && (ok.cpu.features === null || ok.cpu.features.includes('sse4_2') || ok.cpu.features.includes('asimd')))
    assert.equal(ok.threads.workers, 1)
    assert.equal(ok.cache.dir, env.DPT_CACHE)
    assert.ok(ok.cache.freeBytes !== null && ok.cache.freeBytes > 0)
    assert.equal(
      ok.cache.installedBytes,
      Object.values(tinyRepo()).reduce((s, b) => s + b.length, 0),
    )
    assert.equal(ok.cache.partialBytes, 0)
    assert.equal(ok.hub.endpoint, hub.endpoint)
    assert.equal(ok.hub.offline, false)
    assert.equal((JSON.parse((await runCli(['doctor', '--json'], {env: {...env, HF_HUB_OFFLINE: '1'}})).stdout) as DoctorResult).hub.offline, true)
    assert.deepEqual(ok.registry.defaults, {depth: 'tiny', segmentation: 'tiny-seg'})
    assert.deepEqual(
      ok.models.map((m) => [m.id, m.status]),
      [['tiny', 'ok']],
    )
    assert.deepEqual(ok.problems, [])
    // A file changed after install is caught.
    const config = join(env.DPT_CACHE!, 'models', 'tiny', 'config.json')
    writeFileSync(config, '{"changed": true}')
    const damaged = JSON.parse((await runCli(['doctor', '--json'], {env})).stdout) as DoctorResult
    assert.equal(damaged.models[0]?.status, 'damaged')
    assert.deepEqual(damaged.models[0].files.find((f) => f.path === 'config.json')?.status, 'size-changed')
    assert.match(damaged.problems[0] ?? '', /^tiny: files differ from its manifest \(config\.json size-changed\); run `dpt models rm tiny`/)
  })
})
