import {resolve} from 'node:path'
import {ade20k} from './ade20k.js'
import type {EvalDataset} from './dataset.js'
import {diode} from './diode.js'
import {diw} from './diw.js'
import {eth3d} from './eth3d.js'
import {folder, type FolderGtFormat} from './folder.js'
import {kitti} from './kitti.js'
import {nyu} from './nyu.js'
import {sintel} from './sintel.js'
import {tum} from './tum.js'
import {DptError} from '../../pipeline/errors.js'

export const DATASET_NAMES = ['ade20k', 'nyu', 'kitti', 'diode', 'eth3d', 'sintel', 'tum', 'diw', 'folder'] as const
export type DatasetName = (typeof DATASET_NAMES)[number]

export interface DatasetOptions {
  readonly name: DatasetName
  /** --data as given. */
  readonly data: string
  readonly cwd: string
  /** --split; each dataset has its default. */
  readonly split?: string
  /** folder only. */
  readonly gt?: string
  readonly gtFormat?: FolderGtFormat
  readonly gtScale?: number
}

/** Lists a dataset from its usual on-disk layout; a wrong layout is a DptError that shows the expected tree. */
export async function openDataset(options: DatasetOptions): Promise<EvalDataset> {
  const root = resolve(options.cwd, options.data)
  switch (options.name) {
    case 'ade20k':
      return ade20k(options.data, root, options.split)
    case 'nyu':
      return nyu(options.data, root)
    case 'kitti':
      return kitti(options.data, root, options.split)
    case 'diode':
      return diode(options.data, root, options.split)
    case 'eth3d':
      return eth3d(options.data, root)
    case 'sintel':
      return sintel(options.data, root, options.split)
    case 'tum':
      return tum(options.data, root)
    case 'diw':
      return diw(options.data, root)
    case 'folder': {
      if (options.gt === undefined || options.gtFormat === undefined) {
        throw new DptError('--dataset folder needs --gt DIR and --gt-format', {
          remedy: 'e.g. --dataset folder --data imgs --gt depth --gt-format png16 --gt-scale 1000',
        })
      }
      return folder(options.data, root, {gtArg: options.gt, gtAbs: resolve(options.cwd, options.gt), format: options.gtFormat, scale: options.gtScale ?? 1})
    }
  }
}
