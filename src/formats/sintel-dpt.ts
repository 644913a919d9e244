import {readFile} from 'node:fs/promises'

/** The tag that opens every MPI Sintel .dpt file: the float32 202021.25 ("PIEH" as bytes). */
export const SINTEL_TAG = 202021.25

/**
 * MPI Sintel depth (`sintel_io.depth_read`): float32 tag 202021.25, int32 width, int32 height, then
 * width·height float32 depths in metres, row-major, all little-endian.
 */
export function decodeSintelDpt(file: Buffer): {width: number; height: number; depth: Float32Array} {
  if (file.length < 12) throw new Error('truncated .dpt file (no header)')
  const tag = file.readFloatLE(0)
  if (tag !== SINTEL_TAG) throw new Error(`not a Sintel .dpt file (tag ${tag}, expected ${SINTEL_TAG})`)
  const width = file.readInt32LE(4)
  const height = file.readInt32LE(8)
  if (width < 1 || height < 1 || width * height > 100_000_000) throw new Error(`implausible .dpt size ${width}×${height}`)
  if (file.length < 12 + width * height * 4)
    throw new Error(`truncated .dpt file: ${width}×${height} needs ${12 + width * height * 4} bytes, got ${file.length}`)
  const depth = new Float32Array(width * height)
  for (let i = 0; i < depth.length; i++) depth[i] = file.readFloatLE(12 + i * 4)
  return {width, height, depth}
}

export async function readSintelDpt(path: string): Promise<{width: number; height: number; depth: Float32Array}> {
  return decodeSintelDpt(await readFile(path))
}
