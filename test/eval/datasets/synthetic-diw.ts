/**
 * DIW-shaped test data in the published layout: `DIW_test/<sha1-like>.thumb` JPEG images and DIW_test.csv with
 * its alternating path / `yA,xA,yB,xB,>|<,width,height` lines, pairs whose order against a given prediction is
 * chosen by the test (agreeing or disagreeing), so the WHDR is known exactly.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {PointPair, PredictionKind} from '../../../src/eval/types.js'
import {writeRgb} from './synthetic.js'

export interface DiwImage {
  /** File name without extension, like the dataset's sha1 names. */
  readonly name: string
  readonly width: number
  readonly height: number
}

/** Names as DIW has them (40 hex digits), stable per index. */
export const diwName = (k: number): string => createHash('sha1').update(`diw-${k}`).digest('hex')

/** Landscape and portrait frames, so a swapped x/y reads another pixel or leaves the image. */
export const DIW_IMAGES: readonly DiwImage[] = [
  {name: diwName(0), width: 40, height: 30},
  {name: diwName(1), width: 30, height: 40},
  {name: diwName(2), width: 48, height: 32},
  {name: diwName(3), width: 32, height: 48},
]

export const diwId = (image: DiwImage): string => `DIW_test/${image.name}.thumb`

export async function writeDiwImages(root: string, images: readonly DiwImage[] = DIW_IMAGES): Promise<void> {
  for (const [k, image] of images.entries()) await writeRgb(join(root, 'DIW_test', `${image.name}.thumb`), k, image.width, image.height)
}

/** The published CSV: `./DIW_test/<name>.thumb`, then the coordinate line with the image's width and height. */
export function diwCsv(entries: readonly {image: DiwImage; pair: PointPair}[]): string {
  return entries
    .map(({image, pair}) => `./${diwId(image)}\n${pair.yA},${pair.xA},${pair.yB},${pair.xB},${pair.relation},${image.width},${image.height}\n`)
    .join('')
}

export function writeDiwCsv(root: string, entries: readonly {image: DiwImage; pair: PointPair}[], where = 'DIW_test.csv'): void {
  mkdirSync(join(root, where, '..'), {recursive: true})
  writeFileSync(join(root, where), diwCsv(entries))
}

/**
 * A pair between two 1-based points whose relation agrees (or not) with `prediction` read there: for disparity
 * A is farther when its value is smaller. The two values must differ.
 */
export function orderedPair(
  prediction: {data: Float32Array; width: number; kind: PredictionKind},
  a: readonly [y: number, x: number],
  b: readonly [y: number, x: number],
  agree: boolean,
): PointPair {
  const at = ([y, x]: readonly [number, number]): number => prediction.data[(y - 1) * prediction.width + (x - 1)]!
  const [va, vb] = [at(a), at(b)]
  if (va === vb) throw new Error(`the prediction ties at (${a.join(',')}) and (${b.join(',')})`)
  const aFarther = prediction.kind === 'disparity' ? va < vb : va > vb
  return {yA: a[0], xA: a[1], yB: b[0], xB: b[1], relation: aFarther === agree ? '>' : '<'}
}

/** A disparity map with a distinct value per pixel that changes along both axes: 1 + (7y + 3x mod 89)/10 + x/1000. */
export function rampDisparity(width: number, height: number): Float32Array {
  const out = new Float32Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = 1 + ((7 * y + 3 * x) % 89) / 10 + x / 1000
  return out
}
