import {readFile} from 'node:fs/promises'
import {imageShape, npyFloat32, readNpy} from './npy.js'
import {decodePfm} from './pfm.js'
import {readPng16} from './png16.js'
import {readSintelDpt} from './sintel-dpt.js'

/** Depth file formats a folder of ground truth (or of saved predictions) may hold. */
export const DEPTH_FILE_FORMATS = ['png16', 'npy', 'pfm', 'dpt'] as const
export type DepthFileFormat = (typeof DEPTH_FILE_FORMATS)[number]

/** The file name ending of each format. */
export const DEPTH_FILE_EXTENSIONS: Record<DepthFileFormat, string> = {png16: '.png', npy: '.npy', pfm: '.pfm', dpt: '.dpt'}

/**
 * A depth map from one file, divided by `divisor` (16-bit PNGs hold mm ×1000 for NYU, ×256 for KITTI, ×5000 for
 * TUM; float formats are usually 1). A stored 0 stays 0, which every protocol treats as invalid.
 */
export async function readDepthFile(path: string, format: DepthFileFormat, divisor = 1): Promise<{width: number; height: number; depth: Float32Array}> {
  let width: number
  let height: number
  let depth: Float32Array
  switch (format) {
    case 'png16': {
      const png = await readPng16(path)
      ;({width, height} = png)
      depth = Float32Array.from(png.values)
      break
    }
    case 'npy': {
      const npy = await readNpy(path)
      ;({width, height} = imageShape(npy.shape, path))
      depth = npyFloat32(npy)
      break
    }
    case 'pfm': {
      const pfm = decodePfm(await readFile(path))
      if (pfm.channels !== 1) throw new Error('expected a single-channel (Pf) PFM depth map, got a colour (PF) one')
      ;({width, height} = pfm)
      depth = pfm.data
      break
    }
    case 'dpt':
      ;({width, height, depth} = await readSintelDpt(path))
      break
  }
  if (divisor !== 1) for (let i = 0; i < depth.length; i++) depth[i] = depth[i]! / divisor
  return {width, height, depth}
}
