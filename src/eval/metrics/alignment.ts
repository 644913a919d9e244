/** A fitted alignment target ≈ scale · prediction + shift. */
export interface Fit {
  readonly scale: number
  readonly shift: number
}

/**
 * Least-squares scale and shift of `from` onto `to`, both already restricted to the valid pixels.
 * The closed-form 2×2 normal equations of MiDaS/DPT's `compute_scale_and_shift`; when the system is singular
 * or not positive definite (determinant ≤ 0, e.g. a constant prediction) the reference leaves both at 0, and
 * so do we. Sums in float64.
 */
export function fitScaleShift(from: Float64Array, to: Float64Array): Fit {
  let a00 = 0
  let a01 = 0
  let b0 = 0
  let b1 = 0
  const n = from.length
  for (let i = 0; i < n; i++) {
    const p = from[i]!
    const g = to[i]!
    a00 += p * p
    a01 += p
    b0 += p * g
    b1 += g
  }
  const a11 = n
  const det = a00 * a11 - a01 * a01
  if (!(det > 0)) return {scale: 0, shift: 0}
  return {scale: (a11 * b0 - a01 * b1) / det, shift: (-a01 * b0 + a00 * b1) / det}
}

/** Least-squares scale only (no shift): Σpg / Σp², 0 when Σp² ≤ 0 (all-zero prediction), like the 2×2 case. */
export function fitScale(from: Float64Array, to: Float64Array): Fit {
  let pp = 0
  let pg = 0
  for (let i = 0; i < from.length; i++) {
    const p = from[i]!
    pp += p * p
    pg += p * to[i]!
  }
  return {scale: pp > 0 ? pg / pp : 0, shift: 0}
}
