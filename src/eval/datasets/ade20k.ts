import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {ADE20K_CLASSES} from '../../pipeline/render/ade20k.js'
import {readLabelPng} from '../../formats/png.js'
import {byId, type EvalSample, type SegmentDataset} from './dataset.js'
import {isDirectory, isFile, layoutError, lines, listFiles, stem} from './layout.js'

export const ADE20K_SPLITS = ['validation', 'training'] as const

export const ADE20K_LAYOUT = `ADEChallengeData2016/
├── objectInfo150.txt              class names (optional; TSV: Idx Ratio Train Val Name)
├── images/validation/ADE_val_00000001.jpg …      (2000 images; training/ likewise)
└── annotations/validation/ADE_val_00000001.png … (8-bit ids 0..150, 0 = other, ignored)`

/** Class names from objectInfo150.txt (Idx, Ratio, Train, Val, Name; first synonym of Name), by id 1..150. */
function parseObjectInfo(text: string): string[] {
  const rows = lines(text)
    .slice(1)
    .map((l) => l.split('\t'))
  return rows.map((r) => (r[4] ?? '').split(/[;,]/)[0]!.trim())
}

/**
 * ADE20K SceneParsing (ADEChallengeData2016): images/SPLIT/*.jpg ↔ annotations/SPLIT/*.png by file stem.
 * --data may be the ADEChallengeData2016 folder or the folder holding it.
 */
export async function ade20k(dataArg: string, rootAbs: string, split = 'validation'): Promise<SegmentDataset> {
  if (!(ADE20K_SPLITS as readonly string[]).includes(split)) {
    throw layoutError('ade20k', dataArg, `unknown split "${split}" (ADE20K has ${ADE20K_SPLITS.join(', ')})`, ADE20K_LAYOUT)
  }
  const root = (await isDirectory(join(rootAbs, 'images'))) ? rootAbs : join(rootAbs, 'ADEChallengeData2016')
  const imageDir = join(root, 'images', split)
  const labelDir = join(root, 'annotations', split)
  if (!(await isDirectory(imageDir))) throw layoutError('ade20k', dataArg, `no images/${split} folder`, ADE20K_LAYOUT)
  if (!(await isDirectory(labelDir))) throw layoutError('ade20k', dataArg, `no annotations/${split} folder`, ADE20K_LAYOUT)
  const images = await listFiles(imageDir, ['**/*.jpg', '**/*.jpeg', '**/*.png'])
  if (images.length === 0) throw layoutError('ade20k', dataArg, `images/${split} holds no .jpg image`, ADE20K_LAYOUT)
  const samples: EvalSample[] = await Promise.all(
    images.map(async (id) => {
      const gt = join(labelDir, `${stem(id)}.png`)
      return (await isFile(gt))
        ? {id, image: join(imageDir, id), gt: [gt]}
        : {id, image: join(imageDir, id), gt: null, missing: `no annotations/${split}/${stem(id)}.png`}
    }),
  )
  const info = join(root, 'objectInfo150.txt')
  const classNames = (await isFile(info)) ? parseObjectInfo(await readFile(info, 'utf8')) : [...ADE20K_CLASSES]
  if (classNames.length !== 150) {
    throw layoutError('ade20k', dataArg, `objectInfo150.txt lists ${classNames.length} classes, expected 150`, ADE20K_LAYOUT)
  }
  return {
    name: 'ade20k',
    task: 'segment',
    split,
    root: dataArg,
    samples: byId(samples),
    standardSize: split === 'validation' ? 2000 : 20210,
    classNames,
    async readGt(sample) {
      const png = await readLabelPng(sample.gt![0]!)
      return {width: png.width, height: png.height, labels: png.values}
    },
  }
}
