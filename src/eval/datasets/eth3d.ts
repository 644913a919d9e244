import {basename, dirname, join} from 'node:path'
import {readEth3dDepth} from '../../formats/eth3d-raw.js'
import type {DepthDataset} from './dataset.js'
import {isDirectory, layoutError, listFiles} from './layout.js'
import {pairSamples} from './pairs.js'

export const ETH3D_LAYOUT = `eth3d/                      the high-res multi-view training scenes (454 DSLR frames, 6048×4032)
└── courtyard/                                       (one folder per scene, as the archives unpack)
    ├── images/dslr_images/DSC_0286.JPG
    └── ground_truth_depth/dslr_images/DSC_0286.JPG   raw float32, little-endian, row-major, image size, inf = no depth
Marigold's re-packed layout (rgb/<scene>/images/… + depth/<scene>_dslr_depth/<scene>/ground_truth_depth/…) is found too.`

/** ETH3D: each DSLR image with the headerless float32 depth map of the same name. */
export async function eth3d(dataArg: string, rootAbs: string): Promise<DepthDataset> {
  if (!(await isDirectory(rootAbs))) throw layoutError('eth3d', dataArg, 'the folder does not exist', ETH3D_LAYOUT)
  const marigold = await isDirectory(join(rootAbs, 'rgb'))
  const base = marigold ? join(rootAbs, 'rgb') : rootAbs
  const ids = await listFiles(base, '*/images/dslr_images/*.{jpg,jpeg,png}')
  if (ids.length === 0) throw layoutError('eth3d', dataArg, 'no <scene>/images/dslr_images/*.JPG image', ETH3D_LAYOUT)
  const scene = (id: string): string => id.split('/')[0]!
  const samples = await pairSamples(
    base,
    ids,
    (id) => [
      join(rootAbs, scene(id), 'ground_truth_depth', 'dslr_images', basename(id)),
      join(rootAbs, 'depth', `${scene(id)}_dslr_depth`, scene(id), 'ground_truth_depth', 'dslr_images', basename(id)),
    ],
    (id) => `no ${scene(id)}/ground_truth_depth/dslr_images/${basename(id)} for ${dirname(id)}`,
  )
  return {
    name: 'eth3d',
    task: 'depth',
    split: null,
    root: dataArg,
    samples,
    standardSize: 454,
    async readGt(sample, image) {
      const depth = await readEth3dDepth(sample.gt![0]!, image.width, image.height)
      return {width: image.width, height: image.height, depth}
    },
  }
}
