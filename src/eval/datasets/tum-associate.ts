/** One line of a TUM list file: a timestamp (seconds) and a path relative to the sequence folder. */
export interface Stamped {
  readonly time: number
  readonly path: string
}

/** Parses rgb.txt / depth.txt: "timestamp filename" per line, `#` comments. */
export function parseStampedList(text: string): Stamped[] {
  const out: Stamped[] = []
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim()
    if (t === '' || t.startsWith('#')) continue
    const [time, path] = t.split(/\s+/)
    if (time === undefined || path === undefined || !Number.isFinite(Number(time))) throw new Error(`not a "timestamp filename" line: ${JSON.stringify(t)}`)
    out.push({time: Number(time), path})
  }
  return out
}

/**
 * Pairs colour and depth frames as the TUM RGB-D tools' associate.py does: every pair closer than
 * `maxDifference` seconds is a candidate, candidates are taken in order of increasing time difference, and each
 * frame is used at most once. Returned in colour-timestamp order.
 */
export function associate(rgb: readonly Stamped[], depth: readonly Stamped[], maxDifference = 0.02): [Stamped, Stamped][] {
  const candidates: {d: number; i: number; j: number}[] = []
  for (let i = 0; i < rgb.length; i++) {
    for (let j = 0; j < depth.length; j++) {
      const d = Math.abs(rgb[i]!.time - depth[j]!.time)
      if (d < maxDifference) candidates.push({d, i, j})
    }
  }
  candidates.sort((a, b) => a.d - b.d || a.i - b.i || a.j - b.j)
  const usedRgb = new Set<number>()
  const usedDepth = new Set<number>()
  const pairs: [number, number][] = []
  for (const c of candidates) {
    if (usedRgb.has(c.i) || usedDepth.has(c.j)) continue
    usedRgb.add(c.i)
    usedDepth.add(c.j)
    pairs.push([c.i, c.j])
  }
  pairs.sort((a, b) => a[0] - b[0])
  return pairs.map(([i, j]) => [rgb[i]!, depth[j]!])
}

/** Parses an associations file: "t_rgb rgb/x.png t_depth depth/y.png" per line (associate.py's output). */
export function parseAssociations(text: string): [Stamped, Stamped][] {
  const out: [Stamped, Stamped][] = []
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim()
    if (t === '' || t.startsWith('#')) continue
    const [t1, p1, t2, p2] = t.split(/\s+/)
    if (p1 === undefined || p2 === undefined) throw new Error(`not a "t_rgb rgb_file t_depth depth_file" line: ${JSON.stringify(t)}`)
    out.push([
      {time: Number(t1), path: p1},
      {time: Number(t2), path: p2},
    ])
  }
  return out
}
