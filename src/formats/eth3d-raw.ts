import {readFile} from 'node:fs/promises'

/**
 * ETH3D's ground-truth depth maps (`ground_truth_depth/dslr_images/DSC_xxxx.JPG`, despite the name): headerless
 * little-endian float32, row-major, at the size of the matching undistorted image (6048×4032 for the DSLR
 * images), `inf` where there is no depth. The size is not in the file, so it comes from the image; the byte count
 * must match it exactly.
 */
export function decodeEth3dDepth(file: Buffer, width: number, height: number): Float32Array {
  if (file.length !== width * height * 4) {
    throw new Error(`ETH3D depth of ${file.length} bytes does not match its ${width}×${height} image (${width * height * 4} bytes of float32 expected)`)
  }
  const depth = new Float32Array(width * height)
  for (let i = 0; i < depth.length; i++) depth[i] = file.readFloatLE(i * 4)
  return depth
}

export async function readEth3dDepth(path: string, width: number, height: number): Promise<Float32Array> {
  return decodeEth3dDepth(await readFile(path), width, height)
}
