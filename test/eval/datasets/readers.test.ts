/** Every dataset layout read from a synthetic copy: pairing, missing ground truth, units, masks, layout errors. */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {DepthDataset, EvalDataset, SegmentDataset} from '../../../src/eval/datasets/dataset.js'
import {openDataset, type DatasetOptions} from '../../../src/eval/datasets/index.js'
import {DptError, ExitCode} from '../../../src/pipeline/errors.js'
import {
  H,
  W,
  depthValues,
  labelValues,
  makeAde20k,
  makeDiode,
  makeEth3d,
  makeFolder,
  makeKittiEigen,
  makeKittiSelection,
  makeNyu,
  makeSintel,
  makeTum,
} from './synthetic.js'

let root = ''
const dir = (name: string): string => join(root, name)
const open = (options: Omit<DatasetOptions, 'cwd'>): Promise<EvalDataset> => openDataset({...options, cwd: root})
const depthOf = async (name: DatasetOptions['name'], data: string, extra: Partial<DatasetOptions> = {}): Promise<DepthDataset> => {
  const ds = await open({name, data, ...extra})
  assert.equal(ds.task, 'depth')
  return ds
}
const size = {width: W, height: H}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-eval-datasets-'))
  await Promise.all([
    makeAde20k(dir('ade')),
    makeNyu(dir('nyu')),
    makeKittiEigen(dir('kitti')),
    makeKittiSelection(dir('kitti-sel')),
    makeDiode(dir('diode')),
    makeEth3d(dir('eth3d')),
    makeSintel(dir('sintel')),
    makeTum(dir('tum')),
    makeFolder(dir('folder-png16'), 'png16', 1000),
    makeFolder(dir('folder-npy'), 'npy'),
    makeFolder(dir('folder-pfm'), 'pfm'),
    makeFolder(dir('folder-dpt'), 'dpt'),
    makeFolder(dir('folder-labels'), 'labels'),
  ])
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

/** The synthetic depth, as 16-bit integers ÷ scale, with pixel 0 stored as 0. */
function expectedFromPng(seed: number, scale: number): Float32Array {
  const out = Float32Array.from(depthValues(seed), (d) => Math.round(d * scale) / scale)
  out[0] = 0
  return out
}

describe('dataset readers', () => {
  it('ade20k: images/validation ↔ annotations/validation, the parent folder accepted, 150 names, missing annotation counted', async () => {
    const ds = (await open({name: 'ade20k', data: 'ade'})) as SegmentDataset
    assert.equal(ds.task, 'segment')
    assert.equal(ds.split, 'validation')
    assert.deepEqual(
      ds.samples.map((s) => s.id),
      ['ADE_val_00000001.jpg', 'ADE_val_00000002.jpg', 'ADE_val_00000003.jpg'],
    )
    assert.deepEqual(
      ds.samples.map((s) => s.gt === null),
      [false, false, true],
    )
    assert.match(ds.samples[2]!.missing!, /annotations\/validation\/ADE_val_00000003\.png/)
    assert.equal(ds.classNames.length, 150)
    assert.equal(ds.classNames[0], 'wall')
    const gt = await ds.readGt(ds.samples[1]!, size)
    assert.deepEqual([...gt.labels], [...labelValues(2)])
    const training = await open({name: 'ade20k', data: 'ade/ADEChallengeData2016', split: 'training'})
    assert.deepEqual(
      training.samples.map((s) => s.id),
      ['ADE_train_00000001.jpg'],
    )
  })

  it('ade20k: class names from objectInfo150.txt when present', async () => {
    const info = ['Idx\tRatio\tTrain\tVal\tName', ...Array.from({length: 150}, (_, i) => `${i + 1}\t0.1\t1\t1\tname${i + 1};synonym`)].join('\n')
    writeFileSync(join(dir('ade'), 'ADEChallengeData2016', 'objectInfo150.txt'), info)
    try {
      const ds = (await open({name: 'ade20k', data: 'ade'})) as SegmentDataset
      assert.equal(ds.classNames[0], 'name1')
      assert.equal(ds.classNames[149], 'name150')
    } finally {
      rmSync(join(dir('ade'), 'ADEChallengeData2016', 'objectInfo150.txt'))
    }
  })

  it('nyu: rgb_N ↔ sync_depth_N in mm, metres after ÷1000, 0 kept invalid', async () => {
    const ds = await depthOf('nyu', 'nyu')
    assert.deepEqual(
      ds.samples.map((s) => s.id),
      ['kitchen_0004/rgb_00001.jpg', 'kitchen_0004/rgb_00002.jpg', 'office_0005/rgb_00009.jpg'],
    )
    assert.equal(ds.samples.filter((s) => s.gt === null).length, 1)
    const gt = await ds.readGt(ds.samples[1]!, size)
    assert.deepEqual([...gt.depth], [...expectedFromPng(1, 1000)])
  })

  it('kitti eigen: the BTS list, the date folder found, GT under data_depth_annotated/{train,val}, None counted missing', async () => {
    const ds = await depthOf('kitti', 'kitti')
    assert.equal(ds.split, 'eigen')
    assert.equal(ds.samples.length, 3)
    const missing = ds.samples.filter((s) => s.gt === null)
    assert.deepEqual(
      missing.map((s) => s.id),
      ['2011_09_26_drive_0002_sync/image_02/data/0000000075.png'],
    )
    assert.match(missing[0]!.missing!, /no ground truth/)
    assert.ok(ds.samples.every((s) => s.image.includes(join('kitti', '2011_09_26', '2011_09_26_drive_0002_sync'))))
    const first = ds.samples.find((s) => s.id.endsWith('0000000069.png'))!
    assert.deepEqual([...(await ds.readGt(first, size)).depth], [...expectedFromPng(0, 256)])
  })

  it('kitti selection: image ↔ groundtruth_depth by name', async () => {
    const ds = await depthOf('kitti', 'kitti-sel', {split: 'selection'})
    assert.equal(ds.samples.length, 2)
    assert.ok(ds.samples.every((s) => s.gt !== null && s.gt[0]!.includes('_groundtruth_depth_')))
    assert.deepEqual([...(await ds.readGt(ds.samples[1]!, size)).depth], [...expectedFromPng(1, 256)])
  })

  it('diode: depth npy (H, W, 1) with its mask as `valid`; --split keeps one half', async () => {
    const ds = await depthOf('diode', 'diode')
    assert.equal(ds.samples.length, 2)
    const outdoor = ds.samples.find((s) => s.id.startsWith('outdoor/'))!
    const gt = await ds.readGt(outdoor, size)
    assert.deepEqual([...gt.depth], [...depthValues(1)])
    assert.equal(gt.valid![0], 0)
    assert.equal(gt.valid![W - 1], 1)
    assert.equal(
      gt.valid!.reduce((s, v) => s + v, 0),
      (W * H) / 2,
    )
    assert.deepEqual(
      (await depthOf('diode', 'diode', {split: 'indoors'})).samples.map((s) => s.id.split('/')[0]),
      ['indoors'],
    )
  })

  it('eth3d: raw float32 GT sized by its image, inf kept (invalid)', async () => {
    const ds = await depthOf('eth3d', 'eth3d')
    assert.deepEqual(
      ds.samples.map((s) => s.id),
      ['courtyard/images/dslr_images/DSC_0286.JPG', 'courtyard/images/dslr_images/DSC_0287.JPG'],
    )
    const gt = await ds.readGt(ds.samples[0]!, size)
    assert.equal(gt.depth[5], Infinity)
    assert.equal(gt.depth[6], depthValues(0)[6])
    await assert.rejects(ds.readGt(ds.samples[0]!, {width: W + 1, height: H}), /does not match its 41×30 image/)
  })

  it('sintel: final (default) and clean passes ↔ training/depth .dpt', async () => {
    const ds = await depthOf('sintel', 'sintel')
    assert.deepEqual(
      ds.samples.map((s) => s.id),
      ['alley_1/frame_0001.png', 'alley_1/frame_0002.png'],
    )
    assert.ok(ds.samples[0]!.image.includes(join('training', 'final')))
    assert.deepEqual([...(await ds.readGt(ds.samples[1]!, size)).depth], [...depthValues(1)])
    const clean = await depthOf('sintel', 'sintel', {split: 'clean'})
    assert.ok(clean.samples[0]!.image.includes(join('training', 'clean')))
  })

  it('tum: rgb.txt/depth.txt associated by nearest timestamp (< 0.02 s, each once), depth ÷ 5000', async () => {
    const ds = await depthOf('tum', 'tum')
    assert.deepEqual(
      ds.samples.map((s) => s.id),
      ['rgbd_dataset_freiburg1_desk/rgb/1305031452.791720.png', 'rgbd_dataset_freiburg1_desk/rgb/1305031452.823674.png'],
    )
    assert.deepEqual(
      ds.samples.map((s) => s.gt![0]!.split('/').pop()),
      ['1305031452.797665.png', '1305031452.826183.png'],
    )
    assert.deepEqual([...(await ds.readGt(ds.samples[1]!, size)).depth], [...expectedFromPng(1, 5000)])
  })

  for (const format of ['png16', 'npy', 'pfm', 'dpt'] as const) {
    it(`folder: ${format} ground truth matched by relative path, missing one counted`, async () => {
      const ds = await depthOf('folder', join(`folder-${format}`, 'images'), {
        gt: join(`folder-${format}`, 'gt'),
        gtFormat: format,
        gtScale: format === 'png16' ? 1000 : 1,
      })
      assert.deepEqual(
        ds.samples.map((s) => [s.id, s.gt === null]),
        [
          ['a/x.jpg', false],
          ['a/y.jpg', false],
          ['b/z.jpg', true],
        ],
      )
      const expected = format === 'png16' ? expectedFromPng(1, 1000) : depthValues(1)
      assert.deepEqual([...(await ds.readGt(ds.samples[1]!, size)).depth], [...expected])
    })
  }

  it('folder: a ground-truth folder inside the image folder is not listed as images', async () => {
    const ds = await depthOf('folder', 'folder-png16', {gt: 'folder-png16/gt', gtFormat: 'png16', gtScale: 1000})
    assert.deepEqual(
      ds.samples.map((s) => s.id),
      ['images/a/x.jpg', 'images/a/y.jpg', 'images/b/z.jpg'],
    )
  })

  it('folder: label PNGs make a segmentation dataset', async () => {
    const ds = (await open({name: 'folder', data: 'folder-labels/images', gt: 'folder-labels/gt', gtFormat: 'labels'})) as SegmentDataset
    assert.equal(ds.task, 'segment')
    assert.deepEqual([...(await ds.readGt(ds.samples[0]!, size)).labels], [...labelValues(0)])
  })
})

describe('layout errors', () => {
  const rejectsLayout = async (options: Omit<DatasetOptions, 'cwd'>, problem: RegExp, tree: RegExp): Promise<void> => {
    await assert.rejects(open(options), (error: unknown) => {
      assert.ok(error instanceof DptError)
      assert.equal(error.exitCode, ExitCode.dataset)
      assert.match(error.message, problem)
      assert.match(error.message, /Expected layout:/)
      assert.match(error.message, tree)
      return true
    })
  }

  it('names the problem and shows the expected tree', async () => {
    mkdirSync(dir('empty'), {recursive: true})
    await rejectsLayout({name: 'ade20k', data: 'empty'}, /no images\/validation folder/, /annotations\/validation\/ADE_val_00000001\.png/)
    await rejectsLayout({name: 'ade20k', data: 'ade', split: 'test'}, /unknown split "test"/, /ADEChallengeData2016/)
    await rejectsLayout({name: 'nyu', data: 'empty'}, /no rgb_\*\.jpg/, /sync_depth_00045\.png/)
    await rejectsLayout({name: 'kitti', data: 'empty'}, /no eigen_test_files_with_gt\.txt/, /data_depth_annotated/)
    await rejectsLayout({name: 'kitti', data: 'empty', split: 'selection'}, /val_selection_cropped\/image/, /groundtruth_depth/)
    await rejectsLayout({name: 'diode', data: 'empty'}, /no \.png image/, /_depth_mask\.npy/)
    await rejectsLayout({name: 'eth3d', data: 'missing-folder'}, /does not exist/, /ground_truth_depth\/dslr_images/)
    await rejectsLayout({name: 'sintel', data: 'empty'}, /no training\/final folder/, /frame_0001\.dpt/)
    await rejectsLayout({name: 'tum', data: 'empty'}, /no sequence with rgb\.txt/, /associations\.txt/)
    await rejectsLayout({name: 'folder', data: 'folder-npy/images', gt: 'nope', gtFormat: 'npy'}, /--gt nope does not exist/, /--gt-format/)
  })

  it('a malformed KITTI list line is a layout error with its line number', async () => {
    mkdirSync(dir('kitti-bad'), {recursive: true})
    writeFileSync(join(dir('kitti-bad'), 'eigen_test_files_with_gt.txt'), 'only-one-field\n')
    await rejectsLayout({name: 'kitti', data: 'kitti-bad'}, /line 1 is not/, /BTS format/)
  })
})
