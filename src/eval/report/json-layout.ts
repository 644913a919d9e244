/** How a value `layoutJson` picks is written: on one line, or one line per element. */
export type Compact = 'line' | 'rows'

/**
 * JSON text with bulky number tables kept short: `JSON.stringify(value, null, 2)` everywhere, except that the
 * values `compact(key, holder)` picks are written on one line, or one line per element. A value without such
 * parts comes out byte for byte as JSON.stringify gives it.
 */
export function layoutJson(value: unknown, compact: (key: string, holder: object) => Compact | undefined): string {
  const held: {value: unknown; how: Compact}[] = []
  const text = JSON.stringify(
    value,
    function (this: object, key: string, v: unknown) {
      if (v === null || typeof v !== 'object') return v
      const how = compact(key, this)
      if (how === undefined) return v
      held.push({value: v, how})
      return `${MARK}${held.length - 1}`
    },
    2,
  )
  // Each placeholder is a whole JSON string on its own line; the replacement keeps that line's indentation.
  return text.replace(PLACEHOLDER, (_, indent: string, before: string, index: string) => `${indent}${before}${written(held[Number(index)]!, indent)}`)
}

// NUL cannot occur in a report's own strings (ids are file paths), so no real value is mistaken for a placeholder.
const MARK = '\u0000dpt-json:'
const PLACEHOLDER = /^( *)(.*?)"\\u0000dpt-json:(\d+)"/gm

function written({value, how}: {value: unknown; how: Compact}, indent: string): string {
  if (how === 'rows' && Array.isArray(value) && value.length > 0) {
    const inner = `${indent}  `
    return `[\n${value.map((row) => inner + JSON.stringify(row)).join(',\n')}\n${indent}]`
  }
  return JSON.stringify(value)
}
