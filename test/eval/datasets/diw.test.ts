/** The DIW reader on the published layout, and the point-pair folder layout: ids, pairs, sizes, layout errors. */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {EvalDataset, OrdinalDataset} from '../../../src/eval/datasets/dataset.js'
import {openDataset, type DatasetOptions} from '../../../src/eval/datasets/index.js'
import {DptError, ExitCode} from '../../../src/pipeline/errors.js'
import {DIW_IMAGES, diwCsv, diwId, writeDiwImages} from './synthetic-diw.js'
import {writeRgb} from './synthetic.js'

let root = ''
const open = (options: Omit<DatasetOptions, 'cwd'>): Promise<EvalDataset> => openDataset({...options, cwd: root})
const ordinal = async (options: Omit<DatasetOptions, 'cwd'>): Promise<OrdinalDataset> => {
  const ds = await open(options)
  assert.equal(ds.task, 'ordinal')
  return ds
}
const write = (path: string, text: string): void => {
  mkdirSync(join(root, path, '..'), {recursive: true})
  writeFileSync(join(root, path), text)
}
const [a, b, c] = DIW_IMAGES as [(typeof DIW_IMAGES)[0], (typeof DIW_IMAGES)[0], (typeof DIW_IMAGES)[0]]

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-eval-diw-'))
  await writeDiwImages(join(root, 'diw'))
  // Listed out of id order; b twice (two pairs), c under an absolute path as the original README had users write.
  write(
    join('diw', 'DIW_test.csv'),
    diwCsv([
      {image: c, pair: {yA: 1, xA: 2, yB: 3, xB: 4, relation: '<'}},
      {image: a, pair: {yA: 118, xA: 70, yB: 25, xB: 29, relation: '>'}},
      {image: b, pair: {yA: 5, xA: 6, yB: 7, xB: 8, relation: '<'}},
    ]).replace(`./${diwId(c)}`, join(root, 'diw', diwId(c))) + `./${diwId(b)}\n9,10,11,12,>,${b.width},${b.height}\n\n`,
  )
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('DIW', () => {
  it('one sample per image, id = the CSV path without ./, sorted; pairs y,x as written with the annotated size', async () => {
    const ds = await ordinal({name: 'diw', data: 'diw'})
    assert.equal(ds.name, 'diw')
    assert.equal(ds.split, null)
    assert.equal(ds.standardSize, 74441)
    assert.deepEqual(
      ds.samples.map((s) => s.id),
      [a, b, c].map(diwId).sort(),
    )
    const sample = ds.samples.find((s) => s.id === diwId(a))!
    assert.equal(sample.image, join(root, 'diw', 'DIW_test', `${a.name}.thumb`))
    assert.deepEqual(sample.gt, [join(root, 'diw', 'DIW_test.csv')])
    assert.deepEqual(await ds.readGt(sample), {pairs: [{yA: 118, xA: 70, yB: 25, xB: 29, relation: '>'}], size: {width: a.width, height: a.height}})
    const twice = await ds.readGt(ds.samples.find((s) => s.id === diwId(b))!)
    assert.deepEqual(
      twice.pairs.map((p) => p.relation),
      ['<', '>'],
    )
    assert.equal((await ds.readGt(ds.samples.find((s) => s.id === diwId(c))!)).pairs[0]!.relation, '<')
  })

  it('finds DIW_Annotations/DIW_test.csv, as the annotation archive unpacks', async () => {
    await writeDiwImages(join(root, 'diw-ann'), [a])
    write(join('diw-ann', 'DIW_Annotations', 'DIW_test.csv'), diwCsv([{image: a, pair: {yA: 1, xA: 1, yB: 2, xB: 2, relation: '>'}}]))
    assert.deepEqual(
      (await ordinal({name: 'diw', data: 'diw-ann'})).samples.map((s) => s.id),
      [diwId(a)],
    )
  })

  it('layout errors exit 7 with the expected tree, naming the line', async () => {
    const rejects = async (data: string, problem: RegExp): Promise<void> => {
      await assert.rejects(open({name: 'diw', data}), (error: unknown) => {
        assert.ok(error instanceof DptError)
        assert.equal(error.exitCode, ExitCode.dataset)
        assert.match(error.message, problem)
        assert.match(error.message, /Expected layout:\n {2}diw\/ /)
        assert.match(error.message, /118,70,257,291,>,500,333/)
        return true
      })
    }
    await rejects('nowhere', /diw: the folder does not exist/)
    mkdirSync(join(root, 'empty'), {recursive: true})
    await rejects('empty', /no DIW_test\.csv \(nor DIW_Annotations\/DIW_test\.csv\)/)
    write(join('no-images', 'DIW_test.csv'), diwCsv([{image: a, pair: {yA: 1, xA: 1, yB: 2, xB: 2, relation: '>'}}]))
    await rejects('no-images', /no DIW_test\/ image folder/)
    const broken = async (name: string, csv: string, problem: RegExp): Promise<void> => {
      await writeRgb(join(root, name, 'DIW_test', 'x.thumb'), 0)
      write(join(name, 'DIW_test.csv'), csv)
      await rejects(name, problem)
    }
    await broken('odd', './DIW_test/x.thumb\n1,1,2,2,>,40,30\n./DIW_test/x.thumb\n', /DIW_test\.csv line 3: an image path without its coordinate line/)
    await broken('no-size', './DIW_test/x.thumb\n1,1,2,2,>\n', /line 2: expected "yA,xA,yB,xB,>\|<,width,height" \(the image size is missing\)/)
    await broken('equal', './DIW_test/x.thumb\n1,1,2,2,=,40,30\n', /line 2: .*equal pairs are not scored/)
    await broken('shifted', '1,1,2,2,>,40,30\n./DIW_test/x.thumb\n', /line 1: "1,1,2,2,>,40,30" is not a path inside the dataset folder/)
    await broken('outside', '/elsewhere/DIW_test/x.thumb\n1,1,2,2,>,40,30\n', /is not a path inside the dataset folder/)
    await broken(
      'two-sizes',
      './DIW_test/x.thumb\n1,1,2,2,>,40,30\n./DIW_test/x.thumb\n1,1,2,2,<,30,40\n',
      /line 4: DIW_test\/x\.thumb is annotated as 30×40 here and 40×30/,
    )
    await broken('blank', '\n\n', /DIW_test\.csv lists no image/)
  })

  it('--dataset folder --gt-format pairs: one CSV per image mirroring the tree, several pairs each, missing ones counted', async () => {
    await writeRgb(join(root, 'own', 'images', 'a', 'x.jpg'), 0)
    await writeRgb(join(root, 'own', 'images', 'y.png'), 1)
    write(join('own', 'pairs', 'a', 'x.csv'), '# yA,xA,yB,xB,rel\n1,1,30,40,>\n2,2,3,3,<,40,30\n')
    const ds = await ordinal({name: 'folder', data: 'own/images', gt: 'own/pairs', gtFormat: 'pairs'})
    assert.deepEqual(
      ds.samples.map((s) => [s.id, s.gt === null ? s.missing : 'gt']),
      [
        ['a/x.jpg', 'gt'],
        ['y.png', 'no y.csv in own/pairs'],
      ],
    )
    assert.deepEqual(await ds.readGt(ds.samples[0]!), {
      pairs: [
        {yA: 1, xA: 1, yB: 30, xB: 40, relation: '>'},
        {yA: 2, xA: 2, yB: 3, xB: 3, relation: '<'},
      ],
      size: {width: 40, height: 30},
    })
    write(join('own', 'pairs', 'a', 'x.csv'), '1,1,30\n')
    await assert.rejects(ds.readGt(ds.samples[0]!), /line 1: expected "yA,xA,yB,xB,>\|<\[,width,height\]"/)
  })
})
