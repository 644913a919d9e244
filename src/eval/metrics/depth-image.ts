import {DptError} from '../../pipeline/errors.js'
import type {DepthGt, DepthImageScore, DepthPrediction, DepthProtocol} from '../types.js'
import {fitScale, fitScaleShift, type Fit} from './alignment.js'
import {evaluationWindow} from './crops.js'
import {depthErrors} from './depth-errors.js'

/**
 * Score one image: valid mask (GT finite and inside the strict range, DIODE mask, crops), alignment, cap,
 * clip, then the error metrics over the valid pixels. An image without a valid pixel gets `metrics: null`.
 *
 * Alignment spaces: disparity predictions (and `scale-shift-disparity` of depth predictions) are fitted to
 * GT disparity 1/d, clamped below at 1/cap and inverted (the MiDaS/DPT zero-shot protocol); depth predictions
 * under `none`/`scale`/`scale-shift-depth` are fitted in depth and clamped above at cap. `clip` then bounds
 * depth to [minDepth, maxDepth] as BTS does for metric models.
 */
export function scoreDepthImage(pred: DepthPrediction, gt: DepthGt, protocol: DepthProtocol, observe?: ScoredPixelsObserver): DepthImageScore {
  if (pred.width !== gt.width || pred.height !== gt.height) {
    throw new DptError(`Prediction is ${pred.width}×${pred.height} but the ground truth is ${gt.width}×${gt.height}.`, {
      remedy: 'Resize predictions to the ground-truth size before scoring.',
    })
  }
  const inDisparity = usesDisparity(pred.kind, protocol)
  const index = validPixels(gt, protocol)
  const n = index.length
  if (n === 0) return {pixels: 0, metrics: null}

  const g = new Float64Array(n)
  const p = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    const i = index[k]!
    g[k] = gt.depth[i]!
    const v = pred.data[i]!
    p[k] = pred.kind === 'depth' && inDisparity ? inverseOrZero(v) : v
  }

  const fit = fitFor(protocol, p, inDisparity, g)
  const depth = new Float64Array(n)
  for (let k = 0; k < n; k++) depth[k] = scoredDepth(fit === null ? p[k]! : fit.scale * p[k]! + fit.shift, inDisparity, protocol)
  const metrics = depthErrors(depth, g)
  observe?.(depth, g)
  return fit === null ? {pixels: n, metrics} : {pixels: n, metrics, scale: fit.scale, shift: fit.shift}
}

/** Sees the scored pixels of an image: the depth the metrics used (aligned, capped, clipped) and the matching ground truth. */
export type ScoredPixelsObserver = (depth: Float64Array, gt: Float64Array) => void

/** A fitted value (disparity or depth) → the depth that is scored: cap (in disparity, 1/cap from below), inversion, clip. */
function scoredDepth(fitted: number, inDisparity: boolean, protocol: DepthProtocol): number {
  let v = fitted
  if (inDisparity) {
    if (protocol.cap !== null && v < 1 / protocol.cap) v = 1 / protocol.cap
    v = 1 / v
  } else if (protocol.cap !== null && v > protocol.cap) {
    v = protocol.cap
  }
  if (protocol.clip) v = Math.min(Math.max(v, protocol.minDepth), protocol.maxDepth)
  return v
}

/**
 * The whole prediction as the protocol scores it, pixel for pixel (valid or not): the image's fitted scale and
 * shift (`score.scale/shift`, none when the protocol does not align), cap, inversion and clip as in
 * scoreDepthImage. For pictures of an image's errors (the HTML report), not for metrics.
 */
export function scoredDepthMap(pred: DepthPrediction, protocol: DepthProtocol, fit: {scale?: number | null; shift?: number | null}): Float32Array {
  const inDisparity = usesDisparity(pred.kind, protocol)
  const aligned = protocol.alignment !== 'none'
  const scale = fit.scale ?? 1
  const shift = fit.shift ?? 0
  const out = new Float32Array(pred.data.length)
  for (let i = 0; i < out.length; i++) {
    const v = pred.data[i]!
    const p = pred.kind === 'depth' && inDisparity ? inverseOrZero(v) : v
    out[i] = scoredDepth(aligned ? scale * p + shift : p, inDisparity, protocol)
  }
  return out
}

/** Whether the prediction is fitted (or inverted) as disparity; an impossible pairing is a usage error. */
function usesDisparity(kind: DepthPrediction['kind'], protocol: DepthProtocol): boolean {
  if (protocol.alignment === 'scale-shift-disparity') return true
  if (kind === 'disparity' && protocol.alignment === 'scale-shift-depth') {
    throw new DptError('Affine-invariant disparity cannot be aligned by scale and shift in depth space.', {
      remedy: 'Use --alignment scale-shift-disparity for relative (disparity) models.',
    })
  }
  return kind === 'disparity'
}

function fitFor(protocol: DepthProtocol, p: Float64Array, inDisparity: boolean, g: Float64Array): Fit | null {
  if (protocol.alignment === 'none') return null
  const target = inDisparity ? g.map((d) => 1 / d) : g
  return protocol.alignment === 'scale' ? fitScale(p, target) : fitScaleShift(p, target)
}

function inverseOrZero(depth: number): number {
  return depth > 0 && Number.isFinite(depth) ? 1 / depth : 0
}

/** Flat indices of the pixels that are scored, in row-major order. */
export function validPixels(gt: DepthGt, protocol: DepthProtocol): Uint32Array {
  const {width, height, depth, valid} = gt
  if (depth.length !== width * height || (valid !== undefined && valid.length !== width * height)) {
    throw new DptError(`Ground truth data does not match its size ${width}×${height}.`)
  }
  const w = evaluationWindow(protocol.crops, width, height)
  const out: number[] = []
  for (let y = w.top; y < w.bottom; y++) {
    for (let x = w.left; x < w.right; x++) {
      const i = y * width + x
      const d = depth[i]!
      // NaN fails both comparisons; ±inf fails Number.isFinite; 0 is outside any positive range.
      if (!Number.isFinite(d) || !(d > protocol.minDepth && d < protocol.maxDepth) || d === 0) continue
      if (valid !== undefined && valid[i] === 0) continue
      out.push(i)
    }
  }
  return Uint32Array.from(out)
}
