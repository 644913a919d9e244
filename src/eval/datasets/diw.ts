import {readFile} from 'node:fs/promises'
import {isAbsolute, join, relative, sep} from 'node:path'
import type {OrdinalGt, PointPair} from '../types.js'
import {byId, type EvalSample, type OrdinalDataset} from './dataset.js'
import {isDirectory, isFile, layoutError} from './layout.js'
import {parsePairLine} from './point-pairs.js'

/**
 * The DIW test set as published: DIW_test.tar.gz (the images, JPEG files named `<sha1>.thumb`) and
 * DIW_Annotations.tar.gz (DIW_test.csv). The CSV alternates an image path relative to the folder holding
 * DIW_test/ with that image's one coordinate line (format: point-pairs.ts). 74,441 test images, as a public
 * full re-evaluation counted them (the DIW paper says "74K").
 */
export const DIW_LAYOUT = `diw/                          Depth in the Wild test set, one point pair per image
├── DIW_test.csv              (or DIW_Annotations/DIW_test.csv), two lines per image, e.g.
│                               ./DIW_test/ad956b51882fce447aa5a5bb65e434366cb41aa1.thumb
│                               118,70,257,291,>,500,333
│                             = yA,xA,yB,xB (1-based pixels, row first), > (A farther) or <, width, height
└── DIW_test/<sha1>.thumb …   the images (JPEG data)`

const CSV_LOCATIONS = ['DIW_test.csv', join('DIW_Annotations', 'DIW_test.csv')]
export const DIW_STANDARD_SIZE = 74441

/**
 * DIW: one sample per image, id = the CSV's image path without its leading `./` (stable: it is the annotation's
 * own name, e.g. `DIW_test/<sha1>.thumb`). An image listed twice keeps all its pairs. Every sample has ground
 * truth; an image missing from DIW_test/ fails in model mode (unreadable), as with the other list-based layouts.
 */
export async function diw(dataArg: string, rootAbs: string): Promise<OrdinalDataset> {
  if (!(await isDirectory(rootAbs))) throw layoutError('diw', dataArg, 'the folder does not exist', DIW_LAYOUT)
  let csv: string | undefined
  for (const candidate of CSV_LOCATIONS) if (csv === undefined && (await isFile(join(rootAbs, candidate)))) csv = join(rootAbs, candidate)
  if (csv === undefined) throw layoutError('diw', dataArg, 'no DIW_test.csv (nor DIW_Annotations/DIW_test.csv)', DIW_LAYOUT)
  if (!(await isDirectory(join(rootAbs, 'DIW_test')))) throw layoutError('diw', dataArg, 'no DIW_test/ image folder', DIW_LAYOUT)
  const name = relative(rootAbs, csv).split(sep).join('/')
  const annotations = parseDiwCsv(await readFile(csv, 'utf8'), rootAbs, (problem) => layoutError('diw', dataArg, `${name} ${problem}`, DIW_LAYOUT))
  if (annotations.size === 0) throw layoutError('diw', dataArg, `${name} lists no image`, DIW_LAYOUT)
  const samples: EvalSample[] = [...annotations.keys()].map((id) => ({id, image: join(rootAbs, id), gt: [csv]}))
  return {
    name: 'diw',
    task: 'ordinal',
    split: null,
    root: dataArg,
    samples: byId(samples),
    standardSize: DIW_STANDARD_SIZE,
    readGt: async (sample): Promise<OrdinalGt> => {
      const gt = annotations.get(sample.id)
      if (gt === undefined) throw new Error(`${sample.id} is not in ${name}`)
      return gt
    },
  }
}

/** image id → its pairs and annotated size; `fail(problem)` makes the layout error for a malformed file. */
function parseDiwCsv(text: string, rootAbs: string, fail: (problem: string) => Error): Map<string, OrdinalGt> {
  // Only blank lines are skipped: every other line is a path or a coordinate line, strictly alternating.
  const rows = text
    .split(/\r?\n/)
    .map((line, n) => ({line: line.trim(), n: n + 1}))
    .filter((r) => r.line !== '')
  if (rows.length % 2 !== 0) throw fail(`line ${rows.at(-1)!.n}: an image path without its coordinate line`)
  const out = new Map<string, {pairs: PointPair[]; size: {width: number; height: number}}>()
  for (let k = 0; k < rows.length; k += 2) {
    const path = rows[k]!
    const coords = rows[k + 1]!
    const id = imageId(path.line, rootAbs)
    if (id === undefined) throw fail(`line ${path.n}: "${path.line}" is not a path inside the dataset folder (the published CSV has ./DIW_test/…)`)
    let parsed
    try {
      parsed = parsePairLine(coords.line, true)
    } catch (error) {
      throw fail(`line ${coords.n}: ${(error as Error).message}`)
    }
    const size = parsed.size!
    const entry = out.get(id)
    if (entry === undefined) {
      out.set(id, {pairs: [parsed.pair], size})
      continue
    }
    if (entry.size.width !== size.width || entry.size.height !== size.height) {
      throw fail(`line ${coords.n}: ${id} is annotated as ${size.width}×${size.height} here and ${entry.size.width}×${entry.size.height} before`)
    }
    entry.pairs.push(parsed.pair)
  }
  return out
}

/**
 * The published paths are relative (`./DIW_test/x.thumb`); the original README had users rewrite them as
 * absolute paths, which are accepted when they lie inside --data. POSIX separators, no leading `./`.
 */
function imageId(path: string, rootAbs: string): string | undefined {
  if (path.includes(',')) return undefined
  const rel = isAbsolute(path) ? relative(rootAbs, path) : path
  const id = rel.split(/[\\/]+/).filter((part) => part !== '.' && part !== '')
  if (id.length === 0 || id.includes('..')) return undefined
  return id.join('/')
}
