import {readdir} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {DptError, messageOf} from '../../pipeline/errors.js'
import type {EvalDataset} from '../datasets/dataset.js'
import {openDataset} from '../datasets/index.js'
import {isDirectory, layoutError} from '../datasets/layout.js'
import {ZERO_SHOT_COLUMNS, type ZeroShotKey} from './zero-shot.js'

export const SUITE_LAYOUT = `data-root/                 one folder per dataset, each laid out as dpt eval --dataset NAME reads it
├── diw/                   DIW_test.csv + DIW_test/
├── eth3d/                 <scene>/images/dslr_images + <scene>/ground_truth_depth/dslr_images
├── sintel/                training/final + training/depth   (or MPI-Sintel/)
├── kitti/                 eigen_test_files_with_gt.txt + raw + data_depth_annotated
├── nyu/                   official_splits/test/<scene>/…   (or nyuv2/, nyu_depth_v2/)
└── tum/                   one TUM RGB-D sequence or a folder of them   (or tum_rgbd/)
Folder names are matched case-insensitively, ignoring '-', '_', '.' and spaces. A missing dataset is skipped.`

export interface FoundDataset {
  readonly key: ZeroShotKey
  /** The folder as given to the reader (root-relative as the user wrote the root, or the explicit path). */
  readonly data: string
  readonly dataset: EvalDataset
}

export interface SkippedDataset {
  readonly key: ZeroShotKey
  /** Why: no folder for it, or the folder's layout problem (first line of the reader's error). */
  readonly reason: string
}

export interface ZeroShotDatasets {
  /** In table column order. */
  readonly found: readonly FoundDataset[]
  readonly skipped: readonly SkippedDataset[]
}

export interface FindOptions {
  readonly cwd: string
  /** --data-root as given; each dataset is looked for in a folder of its name below it. */
  readonly root?: string | undefined
  /** A folder per dataset (it wins over the root); a wrong layout there is an error, not a skip. */
  readonly paths?: Partial<Record<ZeroShotKey, string>>
}

const normalise = (name: string): string => name.toLowerCase().replace(/[\s._-]/g, '')

/**
 * Finds the six zero-shot datasets: an explicit path per dataset, else a folder under the root whose name is one
 * of the column's (`nyu`, `NYU_depth_v2`, …) and that its reader accepts with the default split. Datasets without
 * a folder, or whose folders the reader refuses, are skipped with the reason; the suite goes on without them.
 */
export async function findZeroShotDatasets(options: FindOptions): Promise<ZeroShotDatasets> {
  const paths = options.paths ?? {}
  if (options.root === undefined && Object.keys(paths).length === 0) {
    throw new DptError('The zero-shot suite needs a data root or a folder per dataset.', {remedy: `e.g. --data-root /data laid out as:\n${SUITE_LAYOUT}`})
  }
  let children: string[] = []
  if (options.root !== undefined) {
    const rootAbs = resolve(options.cwd, options.root)
    if (!(await isDirectory(rootAbs))) throw layoutError('zero-shot suite', options.root, 'the data root does not exist', SUITE_LAYOUT)
    const entries = await readdir(rootAbs, {withFileTypes: true})
    const dirs = await Promise.all(entries.map(async (e) => ((await isDirectory(join(rootAbs, e.name))) ? e.name : undefined)))
    children = dirs.filter((d) => d !== undefined).sort()
  }
  const found: FoundDataset[] = []
  const skipped: SkippedDataset[] = []
  for (const column of ZERO_SHOT_COLUMNS) {
    const explicit = paths[column.key]
    if (explicit !== undefined) {
      found.push({key: column.key, data: explicit, dataset: await openDataset({name: column.key, data: explicit, cwd: options.cwd})})
      continue
    }
    const candidates = children.filter((name) => column.folders.includes(normalise(name)))
    if (candidates.length === 0) {
      skipped.push({key: column.key, reason: options.root === undefined ? 'no folder given' : `no ${column.folders[0]}/ folder in ${options.root}`})
      continue
    }
    const problems: string[] = []
    for (const name of candidates) {
      const data = join(options.root!, name)
      try {
        found.push({key: column.key, data, dataset: await openDataset({name: column.key, data, cwd: options.cwd})})
        break
      } catch (error) {
        problems.push(messageOf(error).split('\n')[0]!)
      }
    }
    if (problems.length === candidates.length) skipped.push({key: column.key, reason: problems.join('; ')})
  }
  return {found, skipped}
}
