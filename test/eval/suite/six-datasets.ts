/** A generated zero-shot data root: the six Table 1 datasets in the layouts dpt eval reads, under folder-name variants. */
import {join} from 'node:path'
import {DIW_IMAGES, writeDiwCsv, writeDiwImages} from '../datasets/synthetic-diw.js'
import {makeEth3d, makeKittiEigen, makeNyu, makeSintel, makeTum} from '../datasets/synthetic.js'
import type {ZeroShotKey} from '../../../src/eval/suite/index.js'

/** The folder each dataset gets: the suite must find them under these spellings too. */
export const FOLDERS: Record<ZeroShotKey, string> = {diw: 'DIW', eth3d: 'eth3d', sintel: 'MPI-Sintel', kitti: 'kitti', nyu: 'NYU_depth_v2', tum: 'tum'}

export async function makeSixDatasets(root: string, keys: readonly ZeroShotKey[] = Object.keys(FOLDERS) as ZeroShotKey[]): Promise<void> {
  const makers: Record<ZeroShotKey, (dir: string) => Promise<unknown>> = {
    diw: async (dir) => {
      await writeDiwImages(dir)
      // Fixed pairs: the fixture model's order is whatever it is; the suite tests need a deterministic WHDR, not a known one.
      writeDiwCsv(
        dir,
        DIW_IMAGES.map((image, k) => ({image, pair: {yA: 2, xA: 3 + k, yB: image.height - 1, xB: image.width - 2, relation: k % 2 === 0 ? '>' : '<'}})),
      )
    },
    eth3d: makeEth3d,
    sintel: makeSintel,
    kitti: makeKittiEigen,
    nyu: makeNyu,
    tum: makeTum,
  }
  await Promise.all(keys.map((key) => makers[key](join(root, FOLDERS[key]))))
}
