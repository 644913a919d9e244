import {joinOutput, type InputFile} from '../discover.js'

export const SEGMENT_FORMATS = ['labels', 'color', 'overlay', 'json'] as const
export type SegmentFormat = (typeof SEGMENT_FORMATS)[number]

/**
 * Label maps keep the input's stem (x.png, as ADE20K's annotations are named, so eval can match them); the
 * other outputs carry a suffix.
 */
export function segmentOutputPath(outDir: string, file: InputFile, format: SegmentFormat): string {
  switch (format) {
    case 'labels':
      return joinOutput(outDir, file.outStem, '.png')
    case 'color':
      return joinOutput(outDir, file.outStem, '.color.png')
    case 'overlay':
      return joinOutput(outDir, file.outStem, '.overlay.png')
    case 'json':
      return joinOutput(outDir, file.outStem, '.json')
  }
}
