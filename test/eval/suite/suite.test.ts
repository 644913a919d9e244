/**
 * The zero-shot suite's pieces on a generated six-dataset root scored with the tiny fixture model (each dataset
 * by evaluate() with its default protocol, as the suite command will): the combined JSON against its schema, its
 * shards merged byte for byte, Table 1 in text and Markdown next to the paper's figures, per-column gates.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {EvalDataset} from '../../../src/eval/datasets/dataset.js'
import {evaluate, type PredictionOrigin} from '../../../src/eval/predict-run.js'
import {defaultSegmentProtocol, resolveDepthProtocol} from '../../../src/eval/protocol.js'
import {buildReport} from '../../../src/eval/report/index.js'
import {
  buildSuiteReport,
  checkSuiteJson,
  evaluateColumnGates,
  findZeroShotDatasets,
  mergeSuiteReports,
  parseColumnGate,
  parseSuiteReport,
  renderZeroShotMarkdown,
  renderZeroShotText,
  suiteJson,
  type SuiteReport,
  type SuiteReports,
  type ZeroShotKey,
} from '../../../src/eval/suite/index.js'
import type {EvalReport, ShardInfo} from '../../../src/eval/types.js'
import {runSettings} from '../../../src/flags.js'
import {argumentInputs} from '../../../src/pipeline/sources/inputs.js'
import {DptError} from '../../../src/pipeline/errors.js'
import {fixture} from '../../helpers/fixtures.js'
import {makeSixDatasets} from './six-datasets.js'

const MODEL = fixture('models', 'dpt-hybrid-tiny')
let root = ''
let single: SuiteReport
let parts: SuiteReport[] = []
const reports: SuiteReports = {}

const origin = (): PredictionOrigin => ({
  kind: 'model',
  run: runSettings(argumentInputs([root]), {
    output: '.',
    model: MODEL,
    card: join(root, 'small.card.json'),
    dtype: 'fp32',
    provider: 'cpu',
    workers: 1,
    threads: 1,
    shard: undefined,
    'max-pixels': 1e8,
    'fail-fast': false,
    'pipeline-nice': 0,
    offline: true,
    'graph-optimization': 'all',
    'mem-pattern': true,
    'mem-arena': true,
    'skip-existing': false,
    overwrite: false,
    base: undefined,
    null: false,
    'input-size': undefined,
    'strict-provider': undefined,
    'progress-interval': undefined,
  }),
})

/** One dataset as `dpt eval` scores it, into its (partial) report. */
async function scoreDataset(key: ZeroShotKey, dataset: EvalDataset, shard?: ShardInfo): Promise<EvalReport> {
  const outcome = await evaluate({
    dataset,
    shard,
    origin: origin(),
    cwd: root,
    depthProtocol: (kind) => resolveDepthProtocol(key === 'diw' ? 'folder' : key, kind),
    segmentProtocol: defaultSegmentProtocol,
  })
  return buildReport({
    dataset: {name: dataset.name, split: dataset.split, root: dataset.root},
    protocol: outcome.scorer.protocol,
    model: outcome.model,
    records: outcome.scorer.records,
    segmentCounts: outcome.scorer.counts,
    classNames: outcome.classNames,
    shard,
  })
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-suite-'))
  const card = JSON.parse(readFileSync(join(MODEL, 'dpt-card.json'), 'utf8')) as {preprocess: {height: number; width: number}}
  card.preprocess.height = card.preprocess.width = 96
  writeFileSync(join(root, 'small.card.json'), JSON.stringify(card))
  await makeSixDatasets(join(root, 'data'))
  const {found} = await findZeroShotDatasets({cwd: root, root: 'data'})
  const shardReports: SuiteReports[] = [{}, {}]
  for (const {key, dataset} of found) {
    reports[key] = await scoreDataset(key, dataset)
    for (const index of [1, 2]) shardReports[index - 1]![key] = await scoreDataset(key, dataset, {index, count: 2})
  }
  single = buildSuiteReport({label: 'dpt-hybrid-tiny', paperModel: 'dpt-hybrid', reports, skipped: {}})
  parts = shardReports.map((r, i) =>
    buildSuiteReport({label: 'dpt-hybrid-tiny', paperModel: 'dpt-hybrid', reports: r, skipped: {}, shard: {index: i + 1, count: 2}}),
  )
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('zero-shot suite report', () => {
  it('holds every dataset’s report in column order and the table built from them; valid against its schema', () => {
    const json = JSON.parse(suiteJson(single)) as unknown
    assert.deepEqual(checkSuiteJson(json), [])
    assert.deepEqual(
      single.datasets.map((d) => [d.key, d.status, d.status === 'scored' ? d.report.task : '']),
      [
        ['diw', 'scored', 'ordinal'],
        ['eth3d', 'scored', 'depth'],
        ['sintel', 'scored', 'depth'],
        ['kitti', 'scored', 'depth'],
        ['nyu', 'scored', 'depth'],
        ['tum', 'scored', 'depth'],
      ],
    )
    const [run, difference, midas, large, hybrid] = single.table!.rows
    assert.deepEqual(run!.values, [
      reports.diw!.metrics.whdr,
      reports.eth3d!.metrics.absRel,
      reports.sintel!.metrics.absRel,
      reports.kitti!.metrics.deltaAbove125Pct,
      reports.nyu!.metrics.deltaAbove125Pct,
      reports.tum!.metrics.deltaAbove125Pct,
    ])
    assert.ok(run!.values.every((v) => typeof v === 'number' && Number.isFinite(v)))
    assert.deepEqual(
      difference!.values,
      run!.values.map((v, i) => v! - hybrid!.values[i]!),
    )
    assert.equal(difference!.label, 'Δ vs paper DPT-Hybrid')
    assert.deepEqual(midas!.values, [12.95, 0.116, 0.329, 16.08, 8.71, 12.51])
    assert.deepEqual(large!.values, [10.82, 0.089, 0.27, 8.46, 8.32, 9.97])
    assert.deepEqual(hybrid!.values, [11.06, 0.093, 0.274, 11.56, 8.69, 10.89])
    const wrong = {...(json as object), datasets: [...single.datasets].reverse()}
    assert.match(checkSuiteJson(wrong).join(), /expected diw, eth3d, sintel, kitti, nyu, tum in that order/)
  })

  it('shards 1/2 and 2/2, written and read back, merge into the single run’s suite report byte for byte', () => {
    assert.equal(parts[0]!.table, undefined)
    const readBack = parts.map((part, i) => parseSuiteReport(suiteJson(part), `part${i + 1}.json`))
    assert.equal(suiteJson(mergeSuiteReports([readBack[1]!, readBack[0]!])), suiteJson(single))
  })

  it('merge refuses a missing shard, a dataset skipped in one shard only, and a finished report', () => {
    assert.throws(() => mergeSuiteReports([parts[0]!]), /Shards 2\/2 are missing/)
    const skippedTum = buildSuiteReport({
      label: 'dpt-hybrid-tiny',
      paperModel: 'dpt-hybrid',
      reports: Object.fromEntries(parts[1]!.datasets.flatMap((d) => (d.status === 'scored' && d.key !== 'tum' ? [[d.key, d.report]] : []))),
      skipped: {tum: 'no tum/ folder in data'},
      shard: {index: 2, count: 2},
    })
    assert.throws(() => mergeSuiteReports([parts[0]!, skippedTum]), /tum was scored in some shards but skipped in shard 2\/2/)
    assert.throws(
      () => mergeSuiteReports([single]),
      (e: unknown) => e instanceof DptError && /cannot be merged again/.test(e.message),
    )
  })

  it('renders Table 1: headings as the paper, the run, its difference to the paper, the paper’s rows; skipped columns as —', () => {
    const withoutTum = buildSuiteReport({
      label: 'dpt-hybrid-tiny',
      paperModel: 'dpt-hybrid',
      reports: {...reports, tum: undefined},
      skipped: {tum: 'no tum/ folder in data'},
    })
    const text = renderZeroShotText(withoutTum.table!, {tum: 'no tum/ folder in data'})
    const lines = text.split('\n')
    assert.match(lines[0]!, /Table 1; lower is better in every column/)
    assert.match(lines[2]!, /^\s+DIW WHDR %\s+ETH3D AbsRel\s+Sintel AbsRel\s+KITTI δ>1\.25 %\s+NYU δ>1\.25 %\s+TUM δ>1\.25 %$/)
    assert.match(lines[3]!, new RegExp(`^dpt-hybrid-tiny\\s+${reports.diw!.metrics.whdr!.toFixed(2)}\\s+${reports.eth3d!.metrics.absRel!.toFixed(3)}\\s.*—$`))
    assert.match(lines[4]!, /^Δ vs paper DPT-Hybrid\s+[+-]\d+\.\d\d\s+[+-]\d+\.\d{3}\s.*—$/)
    assert.match(lines[5]!, /^MiDaS v2\.1 \(paper\)\s+12\.95\s+0\.116\s+0\.329\s+16\.08\s+8\.71\s+12\.51$/)
    assert.match(lines[7]!, /^DPT-Hybrid \(paper\)\s+11\.06\s+0\.093\s+0\.274\s+11\.56\s+8\.69\s+10\.89$/)
    assert.match(text, /Skipped \(not scored\):\n {2}tum: no tum\/ folder in data\n/)
    const markdown = renderZeroShotMarkdown(withoutTum.table!, {tum: 'no tum/ folder in data'})
    assert.match(markdown, /^### dpt eval: zero-shot relative depth/)
    assert.match(markdown, /\| model \| DIW WHDR % \| ETH3D AbsRel \| Sintel AbsRel \| KITTI δ>1\.25 % \| NYU δ>1\.25 % \| TUM δ>1\.25 % \|\n\|---\|---:\|/)
    assert.match(markdown, /\| DPT-Large \(paper\) \| 10\.82 \| 0\.089 \| 0\.270 \| 8\.46 \| 8\.32 \| 9\.97 \|/)
    assert.match(markdown, /- tum: no tum\/ folder in data/)
  })
})

describe('per-column gates', () => {
  it('COLUMN>N gates the column’s table metric, COLUMN:METRIC>N any metric of that dataset', () => {
    assert.deepEqual(parseColumnGate('nyu>9').gate, {kind: 'fail-if', source: 'nyu>9', metric: 'deltaAbove125Pct', operator: '>', threshold: 9})
    assert.deepEqual(parseColumnGate('DIW:wkdr >= 11.5').gate, {kind: 'fail-if', source: 'DIW:wkdr >= 11.5', metric: 'whdr', operator: '>=', threshold: 11.5})
    assert.equal(parseColumnGate('eth3d<0.2').gate.metric, 'absRel')
    assert.throws(() => parseColumnGate('nyu:whdr>1'), /nyu reports no whdr\. Available: absRel/)
    assert.throws(() => parseColumnGate('diw:absRel>1'), /diw reports no absRel\. Available: whdr, whdrFarther, whdrCloser/)
    assert.throws(() => parseColumnGate('ade20k>1'), /COLUMN one of diw, eth3d, sintel, kitti, nyu, tum/)
  })

  it('each gate against its column; an unscored column fails its gate', () => {
    const nyu = reports.nyu!.metrics.deltaAbove125Pct!
    const outcome = evaluateColumnGates({...reports, tum: undefined}, [
      parseColumnGate(`nyu>${nyu + 1}`),
      parseColumnGate(`nyu>=${nyu}`),
      parseColumnGate('tum>50'),
    ])
    assert.equal(outcome.passed, false)
    assert.deepEqual(
      outcome.results.map((r) => [r.passed, r.message.split(':')[0]]),
      [
        [true, 'nyu'],
        [false, 'nyu'],
        [false, 'tum was not scored'],
      ],
    )
    const text = renderZeroShotText(single.table!, {}, outcome)
    assert.match(text, /Gates: FAILED\n {2}pass nyu>.*\n {2}FAIL nyu>=.*gate failed\n {2}FAIL tum>50: tum was not scored\n$/)
  })
})
