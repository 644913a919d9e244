/** The table and ratios `npm run bench:peers` prints. */

export type PeerName = 'dpt' | 'bare session.run' | 'transformers.js' | 'PyTorch'

export interface PeerRow {
  readonly peer: PeerName
  readonly dtype: 'fp32' | 'q8'
  readonly imagesPerSecond: number
  /** The peer's own inference time alone, as images/s (session.run / forward), when it was measured. */
  readonly inferenceImagesPerSecond?: number
  /** Network input sizes W×H → images, over the timed images. */
  readonly networkSizes: Readonly<Record<string, number>>
  readonly note?: string
}

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length))
const sizesText = (sizes: Readonly<Record<string, number>>): string =>
  Object.entries(sizes)
    .map(([size, n]) => `${size.replace('x', '×')} ×${n}`)
    .join(', ')

export function renderRows(rows: readonly PeerRow[]): string[] {
  const header = ['peer', 'dtype', 'images/s', 's/image', 'inference only', 'network input (W×H × images)']
  const cells = rows.map((r) => [
    r.peer,
    r.dtype,
    r.imagesPerSecond.toFixed(3),
    (1 / r.imagesPerSecond).toFixed(2),
    r.inferenceImagesPerSecond === undefined ? '' : `${r.inferenceImagesPerSecond.toFixed(3)} images/s`,
    sizesText(r.networkSizes) + (r.note === undefined ? '' : `  (${r.note})`),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  return [header, ...cells].map(
    (line) =>
      '  ' +
      line
        .map((c, i) => pad(c, widths[i]!))
        .join('  ')
        .trimEnd(),
  )
}

export interface Ratio {
  readonly label: string
  readonly numerator?: PeerRow
  readonly denominator?: PeerRow
  /** Minimum ratio the issue sets, if any. */
  readonly target?: number
  readonly percent?: boolean
}

export function renderRatio(ratio: Ratio): string {
  const {numerator: a, denominator: b, target} = ratio
  const fmt = (v: number): string => (ratio.percent ? `${(v * 100).toFixed(1)} %` : `${v.toFixed(2)}×`)
  const goal = target === undefined ? '' : `target ≥ ${fmt(target)}`
  if (a === undefined || b === undefined) return `  ${pad(ratio.label, 44)} n/a  ${goal}`.trimEnd()
  const value = a.imagesPerSecond / b.imagesPerSecond
  const verdict = target === undefined ? '' : value >= target ? '  met' : '  MISSED'
  return `  ${pad(ratio.label, 44)} ${pad(fmt(value), 8)} ${goal}${verdict}`.trimEnd()
}

/** Whether every peer fed the network the same sizes, image for image in total. */
export function sameWork(rows: readonly PeerRow[]): boolean {
  const key = (r: PeerRow): string => JSON.stringify(Object.entries(r.networkSizes).sort())
  return rows.every((r) => key(r) === key(rows[0]!))
}
