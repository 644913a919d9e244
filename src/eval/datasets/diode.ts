import {join} from 'node:path'
import {imageShape, npyFloat32, readNpy} from '../../formats/npy.js'
import type {DepthGt} from '../types.js'
import {byId, type DepthDataset, type EvalSample} from './dataset.js'
import {isDirectory, isFile, layoutError, listFiles, stem} from './layout.js'

export const DIODE_SPLITS = ['all', 'indoors', 'outdoor'] as const

/** Images in DIODE's validation set, per split. */
const DIODE_SIZES: Record<string, number> = {all: 771, indoors: 325, outdoor: 446}

export const DIODE_LAYOUT = `diode/                        the validation set (771 frames, 1024×768)
└── val/{indoors,outdoor}/scene_00019/scan_00183/
    ├── 00019_00183_indoors_000_010.png
    ├── 00019_00183_indoors_000_010_depth.npy        (H, W, 1) float32 metres
    └── 00019_00183_indoors_000_010_depth_mask.npy   (H, W), 1 = valid
--split indoors | outdoor keeps one half (default all).`

/** DIODE: every PNG with its `_depth.npy` and `_depth_mask.npy` next to it. */
export async function diode(dataArg: string, rootAbs: string, split = 'all'): Promise<DepthDataset> {
  if (!(DIODE_SPLITS as readonly string[]).includes(split))
    throw layoutError('diode', dataArg, `unknown split "${split}" (diode has ${DIODE_SPLITS.join(', ')})`, DIODE_LAYOUT)
  const base = (await isDirectory(join(rootAbs, 'val'))) ? join(rootAbs, 'val') : rootAbs
  if (!(await isDirectory(base))) throw layoutError('diode', dataArg, 'the folder does not exist', DIODE_LAYOUT)
  const scope = split === 'all' ? '{indoors,outdoor}' : split
  let ids = await listFiles(base, `${scope}/**/*.png`)
  if (ids.length === 0 && split === 'all') ids = await listFiles(base, '**/*.png')
  if (ids.length === 0) throw layoutError('diode', dataArg, `no .png image below ${split === 'all' ? 'indoors/ or outdoor/' : `${split}/`}`, DIODE_LAYOUT)
  const samples = await Promise.all(
    ids.map(async (id): Promise<EvalSample> => {
      const depth = join(base, `${stem(id)}_depth.npy`)
      const mask = join(base, `${stem(id)}_depth_mask.npy`)
      const present = await Promise.all([depth, mask].map((p) => isFile(p)))
      // The mask is part of the ground truth: without it the sample is missing too.
      if (present.every(Boolean)) return {id, image: join(base, id), gt: [depth, mask]}
      const lacking = [`${stem(id)}_depth.npy`, `${stem(id)}_depth_mask.npy`].filter((_, i) => !present[i])
      return {id, image: join(base, id), gt: null, missing: `no ${lacking.join(' / ')}`}
    }),
  )
  return {
    name: 'diode',
    task: 'depth',
    split,
    root: dataArg,
    samples: byId(samples),
    standardSize: DIODE_SIZES[split],
    readGt: (sample) => readDiodeDepth(sample.gt![0]!, sample.gt![1]!),
  }
}

/**
 * DIODE ground truth: `NAME_depth.npy` (H, W, 1) float32 metres and `NAME_depth_mask.npy` (H, W), non-zero where
 * the laser return is valid. The mask travels as `valid` so the protocol ANDs it with its own range check.
 */
async function readDiodeDepth(depthPath: string, maskPath: string): Promise<DepthGt> {
  const [depth, mask] = await Promise.all([readNpy(depthPath), readNpy(maskPath)])
  const maskValues = npyFloat32(mask)
  const size = imageShape(depth.shape, depthPath)
  const maskSize = imageShape(mask.shape, maskPath)
  if (size.width !== maskSize.width || size.height !== maskSize.height) {
    throw new Error(`DIODE mask ${maskSize.width}×${maskSize.height} does not match its depth ${size.width}×${size.height}`)
  }
  const valid = new Uint8Array(maskValues.length)
  for (let i = 0; i < valid.length; i++) valid[i] = maskValues[i] !== 0 && !Number.isNaN(maskValues[i]) ? 1 : 0
  return {width: size.width, height: size.height, depth: npyFloat32(depth), valid}
}
