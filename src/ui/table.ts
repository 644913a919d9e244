/** Display width of a cell: code points, so accented names line up. */
const width = (cell: string): number => Array.from(cell).length

/**
 * Rows → lines of columns separated by two spaces, the one aligner of every human table (models list, bench,
 * eval): `right` columns are right-aligned (numbers), the others left-aligned, the last one unpadded; `trimEnd`
 * drops trailing blanks (the eval report's empty trailing cells).
 */
export function columns(rows: readonly (readonly string[])[], options: {right?: ReadonlySet<number>; trimEnd?: boolean} = {}): string[] {
  const right = options.right ?? new Set<number>()
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))))
  return rows.map((row) => {
    const line = row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - width(cell))
        if (right.has(i)) return pad + cell
        return i === row.length - 1 ? cell : cell + pad
      })
      .join('  ')
    return options.trimEnd === true ? line.trimEnd() : line
  })
}

/** A header row and left-aligned columns, for the human output of list-like commands. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return columns([header, ...rows])
}
