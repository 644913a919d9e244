/** Finding the six zero-shot datasets under a data root: folder-name variants, missing and broken ones, explicit paths. */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {findZeroShotDatasets} from '../../../src/eval/suite/index.js'
import {DptError, ExitCode} from '../../../src/pipeline/errors.js'
import {FOLDERS, makeSixDatasets} from './six-datasets.js'

let root = ''
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-suite-find-'))
  await makeSixDatasets(join(root, 'all'))
  await makeSixDatasets(join(root, 'some'), ['diw', 'sintel', 'nyu'])
  mkdirSync(join(root, 'some', 'ETH3D'), {recursive: true})
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('findZeroShotDatasets', () => {
  it('finds all six in the paper’s column order, under DIW/, MPI-Sintel/, NYU_depth_v2/ …, each opened by its reader', async () => {
    const {found, skipped} = await findZeroShotDatasets({cwd: root, root: 'all'})
    assert.deepEqual(skipped, [])
    assert.deepEqual(
      found.map((f) => [f.key, f.data, f.dataset.name, f.dataset.task, f.dataset.samples.length]),
      [
        ['diw', join('all', FOLDERS.diw), 'diw', 'ordinal', 4],
        ['eth3d', join('all', FOLDERS.eth3d), 'eth3d', 'depth', 2],
        ['sintel', join('all', FOLDERS.sintel), 'sintel', 'depth', 2],
        ['kitti', join('all', FOLDERS.kitti), 'kitti', 'depth', 3],
        ['nyu', join('all', FOLDERS.nyu), 'nyu', 'depth', 3],
        ['tum', join('all', FOLDERS.tum), 'tum', 'depth', 2],
      ],
    )
    assert.equal(found.find((f) => f.key === 'kitti')!.dataset.split, 'eigen')
    assert.equal(found.find((f) => f.key === 'sintel')!.dataset.split, 'final')
  })

  it('a dataset without a folder, or whose folder its reader refuses, is skipped with the reason, not fatal', async () => {
    const {found, skipped} = await findZeroShotDatasets({cwd: root, root: 'some'})
    assert.deepEqual(
      found.map((f) => f.key),
      ['diw', 'sintel', 'nyu'],
    )
    assert.deepEqual(skipped, [
      {key: 'eth3d', reason: `eth3d: no <scene>/images/dslr_images/*.JPG image (--data ${join('some', 'ETH3D')}).`},
      {key: 'kitti', reason: 'no kitti/ folder in some'},
      {key: 'tum', reason: 'no tum/ folder in some'},
    ])
  })

  it('an explicit folder wins over the root; a wrong one there is an error (exit 7), not a skip', async () => {
    const {found} = await findZeroShotDatasets({cwd: root, root: 'some', paths: {kitti: join('all', 'kitti')}})
    assert.deepEqual(
      found.map((f) => [f.key, f.data]),
      [
        ['diw', join('some', FOLDERS.diw)],
        ['sintel', join('some', FOLDERS.sintel)],
        ['kitti', join('all', 'kitti')],
        ['nyu', join('some', FOLDERS.nyu)],
      ],
    )
    const only = await findZeroShotDatasets({cwd: root, paths: {nyu: join('all', FOLDERS.nyu)}})
    assert.deepEqual(
      only.skipped.map((s) => s.reason),
      Array(5).fill('no folder given'),
    )
    await assert.rejects(
      findZeroShotDatasets({cwd: root, paths: {nyu: join('all', 'kitti')}}),
      (e: unknown) => e instanceof DptError && e.exitCode === ExitCode.dataset && /nyu: no rgb_/.test(e.message),
    )
  })

  it('a missing root exits 7 with the expected tree; neither root nor folders is a usage error', async () => {
    await assert.rejects(
      findZeroShotDatasets({cwd: root, root: 'nowhere'}),
      (e: unknown) => e instanceof DptError && e.exitCode === ExitCode.dataset && /the data root does not exist/.test(e.message) && /├── diw\//.test(e.message),
    )
    await assert.rejects(findZeroShotDatasets({cwd: root}), (e: unknown) => e instanceof DptError && e.exitCode === ExitCode.usage)
  })
})
