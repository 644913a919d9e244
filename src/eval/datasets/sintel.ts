import {join} from 'node:path'
import type {DepthDataset} from './dataset.js'
import {isDirectory, layoutError, listFiles, stem} from './layout.js'
import {fileDepthDataset, pairSamples} from './pairs.js'

export const SINTEL_SPLITS = ['final', 'clean'] as const

export const SINTEL_LAYOUT = `sintel/                            MPI Sintel training set (1064 frames, 1024×436)
└── training/
    ├── final/alley_1/frame_0001.png …    (--split final, default; clean/ for --split clean)
    └── depth/alley_1/frame_0001.dpt …    (MPI-Sintel-depth-training: float32 tag 202021.25, W, H, metres)`

/** MPI Sintel: training/<pass>/<scene>/frame_N.png ↔ training/depth/<scene>/frame_N.dpt. */
export async function sintel(dataArg: string, rootAbs: string, split = 'final'): Promise<DepthDataset> {
  if (!(SINTEL_SPLITS as readonly string[]).includes(split))
    throw layoutError('sintel', dataArg, `unknown split "${split}" (sintel has ${SINTEL_SPLITS.join(', ')})`, SINTEL_LAYOUT)
  const training = (await isDirectory(join(rootAbs, 'training'))) ? join(rootAbs, 'training') : rootAbs
  const imageDir = join(training, split)
  if (!(await isDirectory(imageDir))) throw layoutError('sintel', dataArg, `no training/${split} folder`, SINTEL_LAYOUT)
  if (!(await isDirectory(join(training, 'depth')))) throw layoutError('sintel', dataArg, 'no training/depth folder', SINTEL_LAYOUT)
  const ids = await listFiles(imageDir, '*/*.png')
  if (ids.length === 0) throw layoutError('sintel', dataArg, `training/${split} holds no <scene>/frame_*.png`, SINTEL_LAYOUT)
  const samples = await pairSamples(
    imageDir,
    ids,
    (id) => [join(training, 'depth', `${stem(id)}.dpt`)],
    (id) => `no training/depth/${stem(id)}.dpt`,
  )
  return fileDepthDataset('sintel', split, dataArg, samples, 'dpt', 1, 1064)
}
