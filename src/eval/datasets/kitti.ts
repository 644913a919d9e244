import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {byId, type DepthDataset, type EvalSample} from './dataset.js'
import {isDirectory, isFile, layoutError, lines, listFiles} from './layout.js'
import {fileDepthDataset, pairSamples} from './pairs.js'

export const KITTI_SPLITS = ['eigen', 'selection'] as const
export const KITTI_SPLIT_FILE = 'eigen_test_files_with_gt.txt'

export const KITTI_LAYOUT = `kitti/                                    --split eigen (default): the Eigen test list, 697 frames
├── ${KITTI_SPLIT_FILE}           BTS format: "<image> <groundtruth|None> <focal>" per line
├── 2011_09_26/2011_09_26_drive_0002_sync/image_02/data/0000000069.png …     (KITTI raw)
└── data_depth_annotated/{train,val}/2011_09_26_drive_0002_sync/proj_depth/groundtruth/image_02/0000000069.png …
kitti/                                    --split selection: the depth-selection validation set, 1000 frames
└── depth_selection/val_selection_cropped/
    ├── image/2011_09_26_drive_0002_sync_image_0000000005_image_02.png …
    ├── groundtruth_depth/2011_09_26_drive_0002_sync_groundtruth_depth_0000000005_image_02.png …
    └── intrinsics/ …                     (not needed)
Depth PNGs are 16-bit, depth × 256 (0 = no depth).`

/** The Eigen list: images below the raw root (with or without the date folder), "None" = no ground truth. */
async function eigen(dataArg: string, root: string): Promise<EvalSample[]> {
  const listPath = join(root, KITTI_SPLIT_FILE)
  if (!(await isFile(listPath))) throw layoutError('kitti', dataArg, `no ${KITTI_SPLIT_FILE}`, KITTI_LAYOUT)
  const gtRoots = [join(root, 'data_depth_annotated', 'train'), join(root, 'data_depth_annotated', 'val'), join(root, 'data_depth_annotated'), root]
  const samples: EvalSample[] = []
  for (const [n, line] of lines(await readFile(listPath, 'utf8')).entries()) {
    const [listed, gt] = line.split(/\s+/)
    if (listed === undefined || gt === undefined)
      throw layoutError('kitti', dataArg, `${KITTI_SPLIT_FILE} line ${n + 1} is not "<image> <groundtruth|None> <focal>"`, KITTI_LAYOUT)
    // BTS lists drive/… while KITTI raw unpacks into date/drive/…; the id keeps the list's spelling.
    const withDate = join(root, listed.slice(0, 10), listed)
    const image = (await isFile(join(root, listed))) ? join(root, listed) : withDate
    if (gt === 'None') {
      samples.push({id: listed, image, gt: null, missing: `${KITTI_SPLIT_FILE} lists no ground truth for it`})
      continue
    }
    const found = (await Promise.all(gtRoots.map(async (r) => ((await isFile(join(r, gt))) ? join(r, gt) : undefined)))).find((p) => p !== undefined)
    samples.push(found === undefined ? {id: listed, image, gt: null, missing: `${gt} not found under data_depth_annotated/`} : {id: listed, image, gt: [found]})
  }
  if (samples.length === 0) throw layoutError('kitti', dataArg, `${KITTI_SPLIT_FILE} is empty`, KITTI_LAYOUT)
  return byId(samples)
}

/** The depth-selection val_selection_cropped folders (1216×352 crops): image ↔ groundtruth_depth by name. */
async function selection(dataArg: string, root: string): Promise<EvalSample[]> {
  const candidates = [join(root, 'depth_selection', 'val_selection_cropped'), join(root, 'val_selection_cropped'), root]
  let base: string | undefined
  for (const c of candidates) if (base === undefined && (await isDirectory(join(c, 'image')))) base = c
  if (base === undefined) throw layoutError('kitti', dataArg, 'no depth_selection/val_selection_cropped/image folder', KITTI_LAYOUT)
  const imageDir = join(base, 'image')
  const ids = await listFiles(imageDir, '*.png')
  if (ids.length === 0) throw layoutError('kitti', dataArg, 'val_selection_cropped/image holds no .png', KITTI_LAYOUT)
  const gtName = (id: string): string => id.replace('_image_', '_groundtruth_depth_')
  return pairSamples(
    imageDir,
    ids,
    (id) => [join(base, 'groundtruth_depth', gtName(id))],
    (id) => `no groundtruth_depth/${gtName(id)}`,
  )
}

/** KITTI: the Eigen test list (BTS format) over KITTI raw + annotated depth, or the depth-selection val set. */
export async function kitti(dataArg: string, rootAbs: string, split = 'eigen'): Promise<DepthDataset> {
  if (!(await isDirectory(rootAbs))) throw layoutError('kitti', dataArg, 'the folder does not exist', KITTI_LAYOUT)
  if (split !== 'eigen' && split !== 'selection')
    throw layoutError('kitti', dataArg, `unknown split "${split}" (kitti has ${KITTI_SPLITS.join(', ')})`, KITTI_LAYOUT)
  const samples = split === 'eigen' ? await eigen(dataArg, rootAbs) : await selection(dataArg, rootAbs)
  return fileDepthDataset('kitti', split, dataArg, samples, 'png16', 256, split === 'eigen' ? 697 : 1000)
}
