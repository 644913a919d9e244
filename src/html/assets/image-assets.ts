import {rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {labelsForProtocol} from '../../eval/metrics/segment-counts.js'
import {scoredDepthMap, validPixels} from '../../eval/metrics/depth-image.js'
import type {DepthGt, DepthPrediction, DepthProtocol, SegmentProtocol} from '../../eval/types.js'
import type {TopLevelSpec} from 'vega-lite'
import {colormapLut} from '../../pipeline/render/colormap.js'
import {classLegend, colourBar} from '../charts/legends.js'
import {renderSvg} from '../charts/render.js'
import {depthColours, depthRange, errorColours, reversedLut} from './depth-panels.js'
import {writePanel, type PanelFile, type RasterLimits} from './raster.js'
import type {RgbImage} from './rgb.js'
import {classColours, classesPresent, mistakes, type Palette} from './segment-panels.js'
import {slugOf} from './slug.js'

export type PanelKind = 'input' | 'gt' | 'prediction' | 'error'

/** The files of one image's panels, as the pages show them. Paths are relative to the site folder. */
export interface ImageAssets {
  readonly id: string
  /** The image's folder, `assets/<slug>`. */
  readonly folder: string
  readonly panels: readonly {readonly kind: PanelKind; readonly label: string; readonly file: PanelFile}[]
  /** Colour bars and class legends (SVG images): what the panels' colours mean. */
  readonly keys: readonly {readonly file: string; readonly label: string}[]
  /** How to read the panels, one sentence. */
  readonly note: string
}

/**
 * An image's panels as written, with its keys (colour bars, legend) still to draw: charts take tens of
 * milliseconds each, so they are drawn only for the images that stay (`writeKeys`), not for every candidate.
 */
export interface PanelSet extends Omit<ImageAssets, 'keys'> {
  readonly keys: readonly {readonly file: string; readonly label: string; readonly spec: TopLevelSpec}[]
}

/** Draws a panel set's keys (SVG) and gives the image's finished assets. */
export async function writeKeys(siteDir: string, set: PanelSet): Promise<ImageAssets> {
  await Promise.all(set.keys.map(async (k) => writeFile(join(siteDir, k.file), await renderSvg(k.spec))))
  return {...set, keys: set.keys.map(({file, label}) => ({file, label}))}
}

/** Where the assets live inside a site folder. */
export const ASSETS_DIR = 'assets'

/** AbsRel at which the error map saturates. */
export const MAX_SHOWN_ABS_REL = 0.5
/** Classes listed in an image's legend, most pixels first. */
const LEGEND_CLASSES = 16

export interface DepthAssetInput {
  readonly id: string
  readonly image: RgbImage
  readonly gt: DepthGt
  readonly prediction: DepthPrediction
  readonly protocol: DepthProtocol
  /** The image's fitted alignment (its report record's scale and shift). */
  readonly fit: {readonly scale?: number | null; readonly shift?: number | null}
}

/**
 * Input | ground truth | scored prediction | AbsRel map of one depth image. Ground truth and prediction share a
 * log depth colour scale (inferno, near bright, over the 1st–99th percentile of the valid ground truth); the
 * error map is viridis over AbsRel 0..0.5; pixels without valid ground truth are grey. Each scale has its bar.
 */
export async function writeDepthPanels(siteDir: string, input: DepthAssetInput, limits: RasterLimits): Promise<PanelSet> {
  const {gt, protocol} = input
  const {width, height} = gt
  const folder = `${ASSETS_DIR}/${slugOf(input.id)}`
  const valid = new Uint8Array(width * height)
  for (const i of validPixels(gt, protocol)) valid[i] = 1
  const scored = scoredDepthMap(input.prediction, protocol, input.fit)
  const range = depthRange(gt.depth, valid)
  const inferno = colormapLut('inferno')
  const viridis = colormapLut('viridis')
  const [inputFile, gtFile, predFile, errorFile] = await Promise.all([
    writePanel(siteDir, `${folder}/input`, input.image, 'photo', limits),
    writePanel(siteDir, `${folder}/gt`, depthColours(gt.depth, width, height, range, inferno, valid), 'photo', limits),
    writePanel(siteDir, `${folder}/prediction`, depthColours(scored, width, height, range, inferno), 'photo', limits),
    writePanel(siteDir, `${folder}/error`, errorColours(scored, gt.depth, valid, width, height, MAX_SHOWN_ABS_REL, viridis), 'photo', limits),
  ])
  return {
    id: input.id,
    folder,
    panels: [
      {kind: 'input', label: 'input', file: inputFile},
      {kind: 'gt', label: 'ground truth', file: gtFile},
      {kind: 'prediction', label: 'prediction, aligned as scored', file: predFile},
      {kind: 'error', label: 'AbsRel |p − g| / g', file: errorFile},
    ],
    keys: [
      {
        file: `${folder}/depth-bar.svg`,
        label: 'depth colours (ground truth and prediction)',
        spec: colourBar(reversedLut(inferno), {title: 'depth (m, log; near is bright)', domain: range, log: true}),
      },
      {
        file: `${folder}/error-bar.svg`,
        label: 'AbsRel colours',
        spec: colourBar(viridis, {title: `AbsRel (≥ ${MAX_SHOWN_ABS_REL} saturated)`, domain: [0, MAX_SHOWN_ABS_REL]}),
      },
    ],
    note: 'Grey: no valid ground truth (outside the protocol’s range or crop).',
  }
}

export interface SegmentAssetInput {
  readonly id: string
  readonly image: RgbImage
  /** As the dataset stores them (ADE20K ids 0..150); the protocol's reduction is applied here. */
  readonly labels: Uint8Array
  /** Class indices 0..n−1. */
  readonly prediction: Uint8Array | Int32Array
  readonly width: number
  readonly height: number
  readonly protocol: SegmentProtocol
  readonly classNames: readonly string[]
  /** Entry k + 1 colours class k (ADE20K's palette). */
  readonly palette: Palette
}

/** Input | ground truth | prediction | mistakes of one segmentation image, and a legend of the classes present. */
export async function writeSegmentPanels(siteDir: string, input: SegmentAssetInput, limits: RasterLimits): Promise<PanelSet> {
  const {width, height, protocol, palette} = input
  const folder = `${ASSETS_DIR}/${slugOf(input.id)}`
  const label = labelsForProtocol(input.labels, protocol)
  const [inputFile, gtFile, predFile, errorFile] = await Promise.all([
    writePanel(siteDir, `${folder}/input`, input.image, 'photo', limits),
    writePanel(siteDir, `${folder}/gt`, classColours(label, width, height, palette, protocol.ignoreIndex), 'labels', limits),
    writePanel(siteDir, `${folder}/prediction`, classColours(input.prediction, width, height, palette, protocol.ignoreIndex), 'labels', limits),
    writePanel(siteDir, `${folder}/error`, mistakes(input.image, input.prediction, label, protocol.ignoreIndex), 'photo', limits),
  ])
  const present = classesPresent(input.prediction, label, protocol.ignoreIndex, protocol.numClasses)
  const labelled = present.reduce((s, c) => s + c.labelPixels, 0) || 1
  const predicted = present.reduce((s, c) => s + c.predictedPixels, 0) || 1
  const shown = present.slice(0, LEGEND_CLASSES).map((c) => ({
    name: input.classNames[c.index] ?? `class ${c.index}`,
    rgb: palette[c.index + 1] ?? ([0, 0, 0] as const),
    note: `${pct(c.labelPixels / labelled)} · ${pct(c.predictedPixels / predicted)}`,
  }))
  const more = present.length > shown.length ? ` (${present.length - shown.length} more classes not listed)` : ''
  return {
    id: input.id,
    folder,
    panels: [
      {kind: 'input', label: 'input', file: inputFile},
      {kind: 'gt', label: 'ground truth', file: gtFile},
      {kind: 'prediction', label: 'prediction', file: predFile},
      {kind: 'error', label: 'mistakes', file: errorFile},
    ],
    keys: [{file: `${folder}/legend.svg`, label: `classes present: % of labelled · % of predicted pixels${more}`, spec: classLegend(shown)}],
    note: 'Mistakes: red = wrong class, dark = not labelled (ignored); black in the colour maps = not labelled.',
  }
}

const pct = (share: number): string => `${(100 * share).toFixed(share < 0.1 ? 1 : 0)} %`

/** Removes an image's folder (an evicted candidate). */
export async function removeAssets(siteDir: string, folder: string): Promise<void> {
  await rm(join(siteDir, folder), {recursive: true, force: true})
}
