import {dirname, join, basename} from 'node:path'
import type {DepthDataset} from './dataset.js'
import {isDirectory, layoutError, listFiles} from './layout.js'
import {fileDepthDataset, pairSamples} from './pairs.js'

export const NYU_LAYOUT = `nyu/                               the Eigen test split, 654 frames, 640×480
└── test/<scene>/rgb_00045.jpg  + sync_depth_00045.png   (BTS "official_splits" extraction)
    or test/<scene>/rgb_0001.png + depth_0001.png        (Marigold "nyu_labeled_extracted")
Depth PNGs are 16-bit, millimetres (0 = no depth). official_splits/test/ and test/ are both found.`

/** NYU Depth v2, Eigen test split, as extracted image + 16-bit mm depth PNG pairs in one folder per scene. */
export async function nyu(dataArg: string, rootAbs: string): Promise<DepthDataset> {
  const bases = [join(rootAbs, 'official_splits', 'test'), join(rootAbs, 'test'), rootAbs]
  let base = rootAbs
  for (const candidate of bases) {
    if (await isDirectory(candidate)) {
      base = candidate
      break
    }
  }
  if (!(await isDirectory(base))) throw layoutError('nyu', dataArg, 'the folder does not exist', NYU_LAYOUT)
  const ids = await listFiles(base, ['**/rgb_*.jpg', '**/rgb_*.png'])
  if (ids.length === 0) throw layoutError('nyu', dataArg, 'no rgb_*.jpg / rgb_*.png image found', NYU_LAYOUT)
  const frame = (id: string): string =>
    basename(id)
      .replace(/^rgb_/, '')
      .replace(/\.[^.]*$/, '')
  const samples = await pairSamples(
    base,
    ids,
    (id) => [join(base, dirname(id), `sync_depth_${frame(id)}.png`), join(base, dirname(id), `depth_${frame(id)}.png`)],
    (id) => `no sync_depth_${frame(id)}.png or depth_${frame(id)}.png next to ${id}`,
  )
  return fileDepthDataset('nyu', 'eigen-test', dataArg, samples, 'png16', 1000, 654)
}
