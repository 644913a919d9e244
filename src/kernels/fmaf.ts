const f32 = Math.fround

/**
 * float32 fused multiply-add a·b + c, rounded once. a·b is exact in double; a·b + c rounded to double and
 * then to float32 is the correctly rounded result unless the double lands exactly half-way between two
 * float32 values, in which case the rounding error of the double sum decides.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b // exact: two 24-bit significands
  const s = p + c // the only double rounding
  const r = f32(s)
  const d = s - r // exact
  if (d === 0) return r
  // s is half-way exactly when the neighbour on the other side, r + 2d, is itself a float32.
  const other = r + 2 * d
  if (f32(other) !== other) return r
  // Half-way: the error of the double sum (TwoSum) says which side the exact value is on.
  const bv = s - p
  const error = p - (s - bv) + (c - bv)
  if (error === 0) return r // a true tie: fround already rounded to even
  return error > 0 ? Math.max(r, other) : Math.min(r, other)
}
