/**
 * Numbers as text in files people read back: exact float32 values for metadata (parsing the text as a float32
 * gives the value back), and short ones for labels.
 */

/** The shortest decimal that reads back as the same float32 (`2.4889174`, not `2.4889173805713654`). */
export function float32Text(x: number): string {
  const f = Math.fround(x)
  if (!Number.isFinite(f)) return String(f)
  for (let digits = 1; digits < 9; digits++) {
    const s = Number(f.toPrecision(digits))
    if (Math.fround(s) === f) return String(s)
  }
  return String(Number(f.toPrecision(9)))
}

/** Four significant digits, for a colour bar's labels. */
export const shortValue = (x: number): string => String(Number(Math.fround(x).toPrecision(4)))
