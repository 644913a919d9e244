import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {readDepthFile} from '../../formats/depth-file.js'
import {byId, type DepthDataset, type EvalSample} from './dataset.js'
import {isDirectory, isFile, layoutError} from './layout.js'
import {associate, parseAssociations, parseStampedList} from './tum-associate.js'

export const TUM_LAYOUT = `tum/                                  one sequence, or a folder of sequences
└── rgbd_dataset_freiburg1_desk/
    ├── rgb.txt, depth.txt               "timestamp filename" lists
    ├── associations.txt                 optional: "t_rgb rgb/x.png t_depth depth/y.png" (associate.py output)
    ├── rgb/1305031452.791720.png …
    └── depth/1305031452.797665.png …    16-bit PNG, depth × 5000 (0 = no depth)
Without associations.txt, frames are paired as associate.py does (nearest, under 0.02 s, each used once).`

const ASSOCIATION_FILES = ['associations.txt', 'association.txt', 'associate.txt']

async function sequenceSamples(root: string, sequence: string): Promise<EvalSample[]> {
  const dir = join(root, sequence)
  let pairs
  const listed = (await Promise.all(ASSOCIATION_FILES.map(async (f) => ((await isFile(join(dir, f))) ? f : undefined)))).find((f) => f !== undefined)
  if (listed !== undefined) pairs = parseAssociations(await readFile(join(dir, listed), 'utf8'))
  else pairs = associate(parseStampedList(await readFile(join(dir, 'rgb.txt'), 'utf8')), parseStampedList(await readFile(join(dir, 'depth.txt'), 'utf8')))
  const prefix = sequence === '' ? '' : `${sequence}/`
  return Promise.all(
    pairs.map(async ([rgb, depth]): Promise<EvalSample> => {
      const id = `${prefix}${rgb.path}`
      const gt = join(dir, depth.path)
      return (await isFile(gt)) ? {id, image: join(root, id), gt: [gt]} : {id, image: join(root, id), gt: null, missing: `no ${prefix}${depth.path}`}
    }),
  )
}

/** TUM RGB-D: colour frames with their associated 16-bit depth (/5000), one or many sequences. */
export async function tum(dataArg: string, rootAbs: string): Promise<DepthDataset> {
  if (!(await isDirectory(rootAbs))) throw layoutError('tum', dataArg, 'the folder does not exist', TUM_LAYOUT)
  const isSequence = async (dir: string): Promise<boolean> =>
    (await isFile(join(dir, 'rgb.txt'))) &&
    ((await isFile(join(dir, 'depth.txt'))) || (await Promise.all(ASSOCIATION_FILES.map((f) => isFile(join(dir, f))))).some(Boolean))
  let sequences: string[]
  if (await isSequence(rootAbs)) sequences = ['']
  else {
    const entries = (await readdir(rootAbs, {withFileTypes: true}))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
    sequences = (await Promise.all(entries.map(async (e) => ((await isSequence(join(rootAbs, e))) ? e : undefined)))).filter((e) => e !== undefined)
  }
  if (sequences.length === 0) throw layoutError('tum', dataArg, 'no sequence with rgb.txt and depth.txt', TUM_LAYOUT)
  let samples: EvalSample[]
  try {
    samples = (await Promise.all(sequences.map((s) => sequenceSamples(rootAbs, s)))).flat()
  } catch (error) {
    throw layoutError('tum', dataArg, `unreadable list file: ${(error as Error).message}`, TUM_LAYOUT)
  }
  if (samples.length === 0) throw layoutError('tum', dataArg, 'no colour frame could be paired with a depth frame', TUM_LAYOUT)
  return {
    name: 'tum',
    task: 'depth',
    split: null,
    root: dataArg,
    samples: byId(samples),
    readGt: (sample) => readDepthFile(sample.gt![0]!, 'png16', 5000),
  }
}
