/**
 * `dpt eval suite zero-shot` end to end on a generated root (TUM left out): the model loaded once for five datasets,
 * Table 1 printed next to the paper, one report per dataset and the combined JSON, a skipped dataset listed, shards
 * merged by `dpt eval merge` into exactly the single run's files, column gates, and a root with no dataset.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import type {SuiteResult} from '../../src/commands/eval/suite.js'
import {checkSuiteJson} from '../../src/eval/suite/index.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {makeSixDatasets} from '../eval/suite/six-datasets.js'

const MODEL = fixture('models', 'dpt-hybrid-tiny')
let root = ''
const suite = (...args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> =>
  runCli(['eval', 'suite', 'zero-shot', '--data-root', 'data', '--model', MODEL, '--card', 'small.card.json', '--paper-model', 'dpt-hybrid', ...args], {
    cwd: root,
  })

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-suite-cli-'))
  const card = JSON.parse(readFileSync(join(MODEL, 'dpt-card.json'), 'utf8')) as {preprocess: {height: number; width: number}}
  card.preprocess.height = card.preprocess.width = 96
  writeFileSync(join(root, 'small.card.json'), JSON.stringify(card))
  await makeSixDatasets(join(root, 'data'), ['diw', 'eth3d', 'sintel', 'kitti', 'nyu'])
})

describe('dpt eval suite zero-shot', () => {
  it('scores the datasets found, prints Table 1 next to the paper, writes every report, lists the one skipped', async () => {
    const run = await suite('--report-dir', 'reports', '--report', 'suite.json')
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /DIW WHDR %\s+ETH3D AbsRel\s+Sintel AbsRel\s+KITTI δ>1\.25 %\s+NYU δ>1\.25 %\s+TUM δ>1\.25 %/)
    assert.match(run.stdout, /^Δ vs paper DPT-Hybrid/m)
    assert.match(run.stdout, /^DPT-Hybrid \(paper\)\s+11\.06\s+0\.093\s+0\.274\s+11\.56\s+8\.69\s+10\.89$/m)
    assert.match(run.stdout, /tum: no tum\/ folder/)
    assert.deepEqual(readdirSync(join(root, 'reports')).sort(), ['diw.json', 'eth3d.json', 'kitti.json', 'nyu.json', 'sintel.json'])
    const combined = JSON.parse(readFileSync(join(root, 'suite.json'), 'utf8')) as SuiteResult['suite']
    assert.deepEqual(checkSuiteJson(combined), [])
    assert.deepEqual(
      combined.datasets.map((d) => `${d.key}:${d.status}`),
      ['diw:scored', 'eth3d:scored', 'sintel:scored', 'kitti:scored', 'nyu:scored', 'tum:skipped'],
    )
    // Each dataset's report file is the very report the combined JSON holds.
    const nyu = combined.datasets.find((d) => d.key === 'nyu')!
    assert.equal(nyu.status, 'scored')
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'reports', 'nyu.json'), 'utf8')), JSON.parse(JSON.stringify(nyu.report)))
    assert.deepEqual(
      combined.table!.rows[0]!.values.slice(0, 5).map((v) => typeof v),
      ['number', 'number', 'number', 'number', 'number'],
    )
    assert.equal(combined.table!.rows[0]!.values[5], null)
  })

  it('shards merge into exactly the single run’s combined JSON; gates apply to the merge, per column', async () => {
    mkdirSync(join(root, 'parts'), {recursive: true})
    for (const i of [1, 2, 3]) {
      const part = await suite('--shard', `${i}/3`, '--report', `parts/${i}.json`, '--json')
      assert.equal(part.code, 0, part.stderr)
    }
    const merged = await runCli(['eval', 'merge', 'parts/3.json', 'parts/1.json', 'parts/2.json', '--report', 'merged.json'], {cwd: root})
    assert.equal(merged.code, 0, merged.stderr)
    assert.equal(readFileSync(join(root, 'merged.json'), 'utf8'), readFileSync(join(root, 'suite.json'), 'utf8'))
    const gated = await runCli(['eval', 'merge', 'parts/1.json', 'parts/2.json', 'parts/3.json', '--fail-if', 'nyu>0', '--fail-if', 'tum>50', '--json'], {
      cwd: root,
    })
    assert.equal(gated.code, 6)
    const result = JSON.parse(gated.stdout) as SuiteResult
    assert.deepEqual(
      result.gates.results.map((g) => [g.gate, g.passed]),
      [
        ['nyu>0', false],
        ['tum>50', false],
      ],
    )
    assert.match(result.gates.results[1]!.message, /tum was not scored/)
    const partial = await suite('--shard', '1/3', '--fail-if', 'nyu>9')
    assert.equal(partial.code, 2, 'a gate on one shard is a usage error')
  })

  it('a root without any of the datasets exits 5 with the expected layout', async () => {
    mkdirSync(join(root, 'empty'), {recursive: true})
    const run = await runCli(['eval', 'suite', 'zero-shot', '--data-root', 'empty', '--model', MODEL, '--card', 'small.card.json'], {cwd: root})
    assert.equal(run.code, 5)
    assert.match(run.stderr, /None of the six zero-shot datasets was found/)
    assert.match(run.stderr, /DIW_test\.csv/)
  })
})
