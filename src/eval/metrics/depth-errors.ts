import type {DepthMetrics} from '../types.js'

const T1 = 1.25
const T2 = 1.25 ** 2
const T3 = 1.25 ** 3

/**
 * The error metrics over matched valid pixels (pred and gt in depth units, both > 0), following BTS
 * `compute_errors` (utils/eval_with_pngs.py) with float64 sums: δ_k counts strict `max(g/p, p/g) < 1.25^k` on
 * the float32 ratio as the reference's float32 arrays compute it,
 * δ>1.25 strict `> 1.25`. Two SILog definitions, named apart: BTS/Marigold 100·sqrt(E[d²] − E[d]²) and the
 * Depth Anything metric eval sqrt(E[d²] − 0.5·E[d]²), d = ln p − ln g.
 */
export function depthErrors(pred: Float64Array, gt: Float64Array): DepthMetrics {
  const n = pred.length
  let d1 = 0
  let d2 = 0
  let d3 = 0
  let above = 0
  let absRel = 0
  let sqRel = 0
  let sq = 0
  let sqLog = 0
  let log10 = 0
  let sumD = 0
  for (let i = 0; i < n; i++) {
    const p = pred[i]!
    const g = gt[i]!
    // The reference divides float32 arrays: a float32 ratio decides the δ thresholds (1/0.8f is exactly 1.25
    // there, 1.2499999813… in float64). fround of the float64 quotient of float32 values is that quotient.
    const p32 = Math.fround(p)
    const g32 = Math.fround(g)
    const ratio = Math.max(Math.fround(g32 / p32), Math.fround(p32 / g32))
    if (ratio < T1) d1++
    if (ratio < T2) d2++
    if (ratio < T3) d3++
    if (ratio > T1) above++
    const diff = g - p
    absRel += Math.abs(diff) / g
    sqRel += (diff * diff) / g
    sq += diff * diff
    const d = Math.log(p) - Math.log(g)
    sqLog += d * d
    sumD += d
    log10 += Math.abs(Math.log10(p) - Math.log10(g))
  }
  const meanD = sumD / n
  const meanD2 = sqLog / n
  return {
    absRel: absRel / n,
    sqRel: sqRel / n,
    rmse: Math.sqrt(sq / n),
    rmseLog: Math.sqrt(meanD2),
    log10: log10 / n,
    // Clamped at 0: with a constant log ratio the difference is mathematically 0 but may round below it,
    // where the reference's sqrt would print NaN.
    silogBts: 100 * Math.sqrt(Math.max(0, meanD2 - meanD * meanD)),
    silogDa: Math.sqrt(Math.max(0, meanD2 - 0.5 * meanD * meanD)),
    delta1: d1 / n,
    delta2: d2 / n,
    delta3: d3 / n,
    deltaAbove125Pct: 100 * (above / n),
  }
}
