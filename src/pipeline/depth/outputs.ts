import {joinOutput, type InputFile} from '../discover.js'
import type {ColormapName} from '../write/colormap.js'

export const DEPTH_FORMATS = ['png16', 'pfm', 'npy', 'png8', 'color'] as const
export type DepthFormat = (typeof DEPTH_FORMATS)[number]

/**
 * File names below the output directory: the reference's names for the 16-bit PNG and PFM (input stem + .png /
 * .pfm), and suffixes that keep the other formats apart.
 */
export function depthOutputPath(outDir: string, file: InputFile, format: DepthFormat, colormap: ColormapName): string {
  switch (format) {
    case 'png16':
      return joinOutput(outDir, file.outStem, '.png')
    case 'pfm':
      return joinOutput(outDir, file.outStem, '.pfm')
    case 'npy':
      return joinOutput(outDir, file.outStem, '.npy')
    case 'png8':
      return joinOutput(outDir, file.outStem, '.8bit.png')
    case 'color':
      return joinOutput(outDir, file.outStem, `.${colormap}.png`)
  }
}
