import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {ADE20K_CLASSES} from '../../pipeline/render/ade20k.js'
import {DEPTH_FILE_EXTENSIONS, readDepthFile, type DepthFileFormat} from '../../formats/depth-file.js'
import {readLabelPng} from '../../formats/png.js'
import type {EvalDataset} from './dataset.js'
import {isDirectory, layoutError, listFiles, stem} from './layout.js'
import {pairSamples} from './pairs.js'
import {isInside} from '../../pipeline/paths.js'
import {parsePairsFile} from './point-pairs.js'

export type FolderGtFormat = DepthFileFormat | 'labels' | 'pairs'

export interface FolderOptions {
  /** --gt as given, and absolute. */
  readonly gtArg: string
  readonly gtAbs: string
  readonly format: FolderGtFormat
  /** Stored value ÷ scale = metres (16-bit PNG in mm: 1000). */
  readonly scale: number
}

export const FOLDER_LAYOUT = `images/                 --data: any tree of images (jpg, png, webp, tif, …)
└── a/b/x.jpg
gt/                     --gt: the same tree, one ground-truth file per image, same path and stem
└── a/b/x.png           --gt-format png16 (÷ --gt-scale), npy, pfm, dpt (float, metres ÷ --gt-scale), or labels (8-bit class ids)
    or a/b/x.csv        --gt-format pairs: one line per point pair, "yA,xA,yB,xB,>|<[,width,height]" (1-based
                        pixels, row first; > = A farther than B), as DIW's coordinate lines`

const IMAGE_PATTERNS = ['**/*.{jpg,jpeg,png,webp,tif,tiff,bmp,avif}']

/** Any image folder with a ground-truth folder that mirrors it by relative path (extension replaced). */
export async function folder(dataArg: string, rootAbs: string, options: FolderOptions): Promise<EvalDataset> {
  if (!(await isDirectory(rootAbs))) throw layoutError('folder', dataArg, 'the image folder does not exist', FOLDER_LAYOUT)
  if (!(await isDirectory(options.gtAbs))) throw layoutError('folder', dataArg, `the ground-truth folder --gt ${options.gtArg} does not exist`, FOLDER_LAYOUT)
  // A ground-truth folder inside the image folder holds ground truth, not images.
  const ids = (await listFiles(rootAbs, IMAGE_PATTERNS)).filter((id) => !isInside(join(rootAbs, id), options.gtAbs))
  if (ids.length === 0) throw layoutError('folder', dataArg, 'no image found', FOLDER_LAYOUT)
  const ext = options.format === 'labels' ? '.png' : options.format === 'pairs' ? '.csv' : DEPTH_FILE_EXTENSIONS[options.format]
  const samples = await pairSamples(
    rootAbs,
    ids,
    (id) => [join(options.gtAbs, `${stem(id)}${ext}`)],
    (id) => `no ${stem(id)}${ext} in ${options.gtArg}`,
  )
  if (options.format === 'labels') {
    return {
      name: 'folder',
      task: 'segment',
      split: null,
      root: dataArg,
      samples,
      classNames: [...ADE20K_CLASSES],
      async readGt(sample) {
        const png = await readLabelPng(sample.gt![0]!)
        return {width: png.width, height: png.height, labels: png.values}
      },
    }
  }
  if (options.format === 'pairs') {
    return {
      name: 'folder',
      task: 'ordinal',
      split: null,
      root: dataArg,
      samples,
      readGt: async (sample) => parsePairsFile(await readFile(sample.gt![0]!, 'utf8')),
    }
  }
  const format = options.format
  return {
    name: 'folder',
    task: 'depth',
    split: null,
    root: dataArg,
    samples,
    readGt: (sample) => readDepthFile(sample.gt![0]!, format, options.scale),
  }
}
