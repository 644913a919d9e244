/**
 * Model integrity (issue 15 point 9): a model imported under a registry id is the registry's only when its files
 * match what the registry pins (hub models: sha256 per file; export-only models: the checkpoint recorded in
 * dpt-export.json); otherwise import warns and list, info and doctor mark it local, in their --json too.
 */
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {cpSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {DoctorResult} from '../../src/commands/doctor.js'
import type {ModelsImportResult} from '../../src/commands/models/import.js'
import type {ModelsInfoResult} from '../../src/commands/models/info.js'
import type {ModelsListResult} from '../../src/commands/models/list.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {hubEnv, tinyRepo, TINY_REPO, writeTestRegistry} from '../helpers/hub-fixture.js'
import {startHubServer, type HubServer} from '../helpers/hub-server.js'

const oneLine = (text: string): string => text.replace(/\n ›\s+/g, ' ').replace(/\s+/g, ' ')
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const CHECKPOINT = 'abcd1234' + '0'.repeat(56)

/** Registry entries that pin what an import can be checked against. */
function pinnedEntries(): object[] {
  const repo = tinyRepo()
  const pinned = (path: string) => ({path, size: repo[path]!.length, sha256: sha256(repo[path]!)})
  const card = {
    from: 'dpt-card.json',
    preprocess: {height: 384, width: 384, keepAspect: true, rule: 'minimal', multiple: 32, resize: 'cv2-cubic', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]},
    upsample: 'bicubic',
  }
  const common = {params: null, licence: {spdx: 'MIT', url: 'https://example.org/mit'}, reported: null, notes: 'test'}
  return [
    {
      ...common,
      id: 'tiny-pinned',
      title: 'tiny, every file pinned',
      task: 'depth',
      source: {
        repo: TINY_REPO,
        revision: 'main',
        files: [pinned('config.json'), pinned('preprocessor_config.json'), pinned('dpt-card.json')],
        dtypes: {fp32: [pinned('onnx/model.onnx')]},
      },
      export: null,
      card: {...card, semantics: 'relative-inverse-depth', output: 'random'},
    },
    {
      ...common,
      id: 'tiny-seg-pinned',
      title: 'tiny ADE20K from a pinned checkpoint',
      task: 'segmentation',
      source: null,
      export: {
        checkpoint: {file: 'tiny-ade-abcd1234.pt', url: 'https://example.org/tiny-ade-abcd1234.pt', size: null, sha256Prefix: 'abcd1234'},
        command: 'dpt models export tiny-seg-pinned --checkpoint tiny-ade-abcd1234.pt',
      },
      card: {...card, labels: 'ade20k-150', output: 'logits'},
    },
  ]
}

/** The ADE fixture with the record tools/export_model.py writes, naming a checkpoint by its sha256. */
function exported(checkpointSha256: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'dpt-export-')), 'tiny-ade')
  cpSync(fixture('models', 'dpt-hybrid-ade-tiny'), dir, {recursive: true})
  writeFileSync(join(dir, 'dpt-export.json'), JSON.stringify({source: {kind: 'isl-org', checkpoint: 'tiny-ade.pt', sha256: checkpointSha256}}))
  return dir
}

describe('dpt models: provenance of imports under registry ids', () => {
  let hub: HubServer
  let registry = ''
  before(async () => {
    hub = await startHubServer({[TINY_REPO]: tinyRepo()})
    registry = writeTestRegistry(pinnedEntries())
  })
  after(async () => hub.close())

  it("files matching every pinned sha256 make it the registry's model; others warn and are local in list, info and doctor", async () => {
    const env = hubEnv(hub.endpoint, registry)
    const good = await runCli(['models', 'import', fixture('models', 'dpt-hybrid-tiny'), '--id', 'tiny-pinned', '--json'], {env})
    assert.equal(good.code, 0, good.stderr)
    assert.deepEqual((JSON.parse(good.stdout) as ModelsImportResult).provenance, {kind: 'registry', verifiedBy: 'pinned-sha256'})
    assert.doesNotMatch(good.stderr, /warning/)
    let list = JSON.parse((await runCli(['models', 'list', '--json'], {env})).stdout) as ModelsListResult
    assert.deepEqual(
      list.models.filter((m) => m.id === 'tiny-pinned').map((m) => [m.source, m.provenance, m.licence]),
      [['hub', {kind: 'registry', verifiedBy: 'pinned-sha256'}, 'MIT']],
    )

    // Another model's files under the same id: a warning (also under --json), and local everywhere.
    const bad = await runCli(['models', 'import', fixture('models', 'dpt-large-tiny'), '--id', 'tiny-pinned', '--force', '--json'], {env})
    assert.equal(bad.code, 0, bad.stderr)
    const result = JSON.parse(bad.stdout) as ModelsImportResult
    assert.equal(result.provenance.kind, 'local')
    assert.match(
      oneLine(bad.stderr),
      /warning: tiny-pinned is not the registry's tiny-pinned: its files do not match the registry's tiny-pinned: config\.json has sha256 [0-9a-f]{12}…, the registry pins [0-9a-f]{12}…; .*dpt-card\.json is missing.*\. It is listed as local\./,
    )
    list = JSON.parse((await runCli(['models', 'list', '--json'], {env})).stdout) as ModelsListResult
    const row = list.models.find((m) => m.id === 'tiny-pinned')!
    assert.deepEqual([row.source, row.provenance?.kind, row.licence, row.installed], ['local', 'local', null, ['fp32']])
    assert.match(row.title, /^not the registry's tiny-pinned: its files do not match/)
    const human = await runCli(['models', 'list'], {env})
    assert.match(human.stdout, /^tiny-pinned\s+depth\s+yes \(fp32\)\s+\S+ \S+\s+not the registry's tiny-pinned \(local\)\s*$/m)
    assert.match(human.stdout, /\(local\): installed under a registry id, but not the registry's files/)
    const info = JSON.parse((await runCli(['models', 'info', 'tiny-pinned', '--json'], {env})).stdout) as ModelsInfoResult
    assert.equal(info.provenance?.kind, 'local')
    assert.match((await runCli(['models', 'info', 'tiny-pinned'], {env})).stdout, /^local: not the registry's tiny-pinned: its files do not match/m)
    const doctor = JSON.parse((await runCli(['doctor', '--json'], {env})).stdout) as DoctorResult
    assert.deepEqual(
      doctor.models.map((m) => [m.id, m.status, m.provenance.kind]),
      [['tiny-pinned', 'ok', 'local']],
    )
    assert.match((await runCli(['doctor'], {env})).stdout, /model tiny-pinned: ok \(\S+ \S+; local: its files do not match/)
    // The registry's files are never mixed into it.
    const pull = await runCli(['models', 'pull', 'tiny-pinned'], {env})
    assert.equal(pull.code, 4)
    assert.match(oneLine(pull.stderr), /tiny-pinned in the cache .* is not the registry's tiny-pinned: .* Run `dpt models rm tiny-pinned` first/)
    assert.equal(hub.log.length, 0)
  })

  it('a registry entry that pins nothing cannot vouch for an import; a pulled model is the registry’s', async () => {
    const env = hubEnv(hub.endpoint, registry)
    const imported = await runCli(['models', 'import', fixture('models', 'dpt-hybrid-tiny'), '--id', 'tiny'], {env})
    assert.equal(imported.code, 0, imported.stderr)
    assert.match(
      oneLine(imported.stderr),
      /warning: tiny is not the registry's tiny: the registry pins no sha256 for config\.json, preprocessor_config\.json, dpt-card\.json, onnx\/model\.onnx/,
    )
    assert.equal((await runCli(['models', 'rm', 'tiny'], {env})).code, 0)
    assert.equal((await runCli(['models', 'pull', 'tiny'], {env})).code, 0)
    const list = JSON.parse((await runCli(['models', 'list', '--json'], {env})).stdout) as ModelsListResult
    assert.deepEqual(list.models.find((m) => m.id === 'tiny')?.provenance, {kind: 'registry', verifiedBy: 'download'})
    assert.equal(list.models.find((m) => m.id === 'tiny')?.source, 'hub')
  })

  it("an export is the registry's when its dpt-export.json names the pinned checkpoint", async () => {
    const env = hubEnv(hub.endpoint, registry)
    const good = await runCli(['models', 'import', exported(CHECKPOINT), '--id', 'tiny-seg-pinned', '--json'], {env})
    assert.equal(good.code, 0, good.stderr)
    assert.deepEqual((JSON.parse(good.stdout) as ModelsImportResult).provenance, {kind: 'registry', verifiedBy: 'export-record'})
    const other = await runCli(['models', 'import', exported('ffff' + CHECKPOINT.slice(4)), '--id', 'tiny-seg-pinned', '--force', '--json'], {env})
    assert.equal(other.code, 0, other.stderr)
    assert.match(oneLine(other.stderr), /exported from tiny-ade\.pt \(sha256 ffff12340000…\), not the registry's tiny-ade-abcd1234\.pt \(sha256 abcd1234…\)/)
    const bare = await runCli(['models', 'import', fixture('models', 'dpt-hybrid-ade-tiny'), '--id', 'tiny-seg-pinned', '--force'], {env})
    assert.match(oneLine(bare.stderr), /no dpt-export\.json \(written by tools\/export_model\.py\) says which checkpoint/)
    const list = JSON.parse((await runCli(['models', 'list', '--json'], {env})).stdout) as ModelsListResult
    assert.deepEqual(
      list.models.filter((m) => m.id === 'tiny-seg-pinned').map((m) => [m.source, m.provenance?.kind]),
      [['local', 'local']],
    )
  })
})
