import type {DepthGt} from '../types.js'
import {imageShape, readNpy} from './npy.js'

/**
 * DIODE ground truth: `NAME_depth.npy` (H, W, 1) float32 metres and `NAME_depth_mask.npy` (H, W), non-zero where
 * the laser return is valid. The mask travels as `valid` so the protocol ANDs it with its own range check.
 */
export async function readDiodeDepth(depthPath: string, maskPath: string): Promise<DepthGt> {
  const [depth, mask] = await Promise.all([readNpy(depthPath), readNpy(maskPath)])
  const size = imageShape(depth.shape, depthPath)
  const maskSize = imageShape(mask.shape, maskPath)
  if (size.width !== maskSize.width || size.height !== maskSize.height) {
    throw new Error(`DIODE mask ${maskSize.width}×${maskSize.height} does not match its depth ${size.width}×${size.height}`)
  }
  const valid = new Uint8Array(mask.data.length)
  for (let i = 0; i < valid.length; i++) valid[i] = mask.data[i] !== 0 && !Number.isNaN(mask.data[i]) ? 1 : 0
  return {width: size.width, height: size.height, depth: depth.data, valid}
}
