import {DptError} from '../../pipeline/errors.js'
import type {DepthCrop} from '../types.js'

/** A half-open pixel window: rows top..bottom−1, cols left..right−1. */
export interface Window {
  readonly top: number
  readonly bottom: number
  readonly left: number
  readonly right: number
}

const KITTI_BENCH_HEIGHT = 352
const KITTI_BENCH_WIDTH = 1216

/**
 * The window of one crop on a GT frame of the given size, computed as the BTS eval script does
 * (utils/eval_with_pngs.py): Garg fractions multiplied in float64 and truncated with int(), the Eigen NYU
 * window as fixed indices into the 480×640 frame, the KITTI benchmark window bottom-centre.
 */
export function cropWindow(crop: DepthCrop, width: number, height: number): Window {
  switch (crop) {
    case 'eigen': {
      if (width !== 640 || height !== 480) {
        throw new DptError(`The eigen crop is defined on 640×480 NYU frames, got a ${width}×${height} ground truth.`, {
          remedy: 'Evaluate NYU at its original 640×480 size, or choose another crop with --crop.',
        })
      }
      return {top: 45, bottom: 471, left: 41, right: 601}
    }
    case 'garg':
      return {
        top: Math.trunc(0.40810811 * height),
        bottom: Math.trunc(0.99189189 * height),
        left: Math.trunc(0.03594771 * width),
        right: Math.trunc(0.96405229 * width),
      }
    case 'kitti-bench': {
      if (width < KITTI_BENCH_WIDTH || height < KITTI_BENCH_HEIGHT) {
        throw new DptError(`The kitti-bench crop needs a ground truth of at least ${KITTI_BENCH_WIDTH}×${KITTI_BENCH_HEIGHT}, got ${width}×${height}.`, {
          remedy: 'Evaluate KITTI at its original size, or choose another crop with --crop.',
        })
      }
      const top = height - KITTI_BENCH_HEIGHT
      const left = Math.floor((width - KITTI_BENCH_WIDTH) / 2)
      return {top, bottom: top + KITTI_BENCH_HEIGHT, left, right: left + KITTI_BENCH_WIDTH}
    }
  }
}

/** The intersection of the crops' windows; the whole frame when there is none. */
export function evaluationWindow(crops: readonly DepthCrop[], width: number, height: number): Window {
  let window: Window = {top: 0, bottom: height, left: 0, right: width}
  for (const crop of crops) {
    const w = cropWindow(crop, width, height)
    window = {
      top: Math.max(window.top, w.top),
      bottom: Math.min(window.bottom, w.bottom),
      left: Math.max(window.left, w.left),
      right: Math.min(window.right, w.right),
    }
  }
  return window
}
