import {mkdir} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import sharp, {type ResizeOptions, type Sharp} from 'sharp'
import type {RgbImage} from './rgb.js'

/** Bounds of the files an image panel is written to. */
export interface RasterLimits {
  /** Longest side of a thumbnail, the picture on the page (default 256). */
  readonly thumbMaxSide: number
  /** Longest side of the file a thumbnail links to: the image's own size up to this (default 2048). */
  readonly fullMaxSide: number
  readonly jpegQuality: number
}

export const DEFAULT_LIMITS: RasterLimits = {thumbMaxSide: 256, fullMaxSide: 2048, jpegQuality: 85}

/** A panel as written: paths relative to the site folder (POSIX), the thumbnail's size (the page reserves it). */
export interface PanelFile {
  readonly thumb: string
  readonly full: string
  readonly width: number
  readonly height: number
}

/**
 * `kind` picks the encoding: photographs and smooth colour maps as JPEG (resampled with Lanczos), class colour
 * maps as PNG resampled to the nearest pixel (colours stay the palette's, no blend of two classes).
 */
export type RasterKind = 'photo' | 'labels'

/** Writes `<name>.<ext>` (capped at fullMaxSide) and `<name>.thumb.<ext>` under `siteDir`, `name` relative to it. */
export async function writePanel(siteDir: string, name: string, rgb: RgbImage, kind: RasterKind, limits: RasterLimits): Promise<PanelFile> {
  const ext = kind === 'photo' ? 'jpg' : 'png'
  const full = `${name}.${ext}`
  const thumb = `${name}.thumb.${ext}`
  await mkdir(dirname(join(siteDir, full)), {recursive: true})
  const source = (): Sharp => sharp(rgb.data, {raw: {width: rgb.width, height: rgb.height, channels: 3}})
  const encode = (image: Sharp): Sharp => (kind === 'photo' ? image.jpeg({quality: limits.jpegQuality, mozjpeg: false}) : image.png({compressionLevel: 9}))
  const kernel = kind === 'photo' ? sharp.kernel.lanczos3 : sharp.kernel.nearest
  const fit = (side: number): ResizeOptions => ({width: side, height: side, fit: 'inside', withoutEnlargement: true, kernel})
  const [, info] = await Promise.all([
    encode(source().resize(fit(limits.fullMaxSide))).toFile(join(siteDir, full)),
    encode(source().resize(fit(limits.thumbMaxSide))).toFile(join(siteDir, thumb)),
  ])
  return {thumb, full, width: info.width, height: info.height}
}
