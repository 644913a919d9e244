import type {OrdinalGt, PointPair} from '../types.js'

/**
 * The DIW coordinate line, `yA,xA,yB,xB,REL,width,height`, as the dataset's own Torch code reads it
 * (princeton-vl/relative_depth: test_model_on_DIW.lua and DataLoader_DIW.lua):
 * - fields 1–4 are y_A, x_A, y_B, x_B — row first — in 1-based pixels (Lua indexes the output with them as they
 *   are; the PyTorch ports subtract 1);
 * - REL is `>` (+1) or `<` (−1), where +1 means z_A > z_B for the network's depth output z: `>` = A is farther;
 *   `=` never occurs in DIW (the Torch code asserts so);
 * - fields 6 and 7 are the image's width, then height (DataLoader_DIW.lua divides y by field 7, x by field 6).
 * Point-pair files for `--dataset folder --gt-format pairs` use the same line, with the size optional.
 */
export interface ParsedPairLine {
  readonly pair: PointPair
  readonly size?: {readonly width: number; readonly height: number}
}

const INTEGER = /^[+-]?\d+$/

/** One coordinate line; throws an Error saying what is wrong with it. */
export function parsePairLine(line: string, requireSize = false): ParsedPairLine {
  const fields = line.split(',').map((f) => f.trim())
  if (fields.length !== 5 && fields.length !== 7) {
    throw new Error(`expected "yA,xA,yB,xB,>|<${requireSize ? ',width,height' : '[,width,height]'}", got "${line}"`)
  }
  if (requireSize && fields.length !== 7) throw new Error(`expected "yA,xA,yB,xB,>|<,width,height" (the image size is missing), got "${line}"`)
  const [yA, xA, yB, xB] = fields.slice(0, 4).map((f) => integer(f, line))
  const relation = fields[4]
  if (relation !== '>' && relation !== '<') {
    throw new Error(
      `the relation must be > (A farther) or < (A closer)${relation === '=' ? '; equal pairs are not scored by WHDR' : ''}, got "${relation}" in "${line}"`,
    )
  }
  const pair: PointPair = {yA: yA!, xA: xA!, yB: yB!, xB: xB!, relation}
  if (fields.length === 5) return {pair}
  const [width, height] = fields.slice(5).map((f) => integer(f, line))
  if (!(width! > 0 && height! > 0)) throw new Error(`the image size must be positive, got ${width}×${height} in "${line}"`)
  return {pair, size: {width: width!, height: height!}}
}

function integer(field: string, line: string): number {
  if (!INTEGER.test(field)) throw new Error(`"${field}" is not an integer pixel coordinate in "${line}"`)
  return Number(field)
}

/**
 * A point-pair file: one coordinate line per pair (blank lines and `#` comments skipped). Lines that give the
 * image size must all give the same one. At least one pair.
 */
export function parsePairsFile(text: string): OrdinalGt {
  const pairs: PointPair[] = []
  let size: {width: number; height: number} | undefined
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    let parsed: ParsedPairLine
    try {
      parsed = parsePairLine(line)
    } catch (error) {
      throw new Error(`line ${n + 1}: ${(error as Error).message}`, {cause: error})
    }
    if (parsed.size !== undefined) {
      if (size !== undefined && (size.width !== parsed.size.width || size.height !== parsed.size.height)) {
        throw new Error(`line ${n + 1}: image size ${parsed.size.width}×${parsed.size.height} differs from ${size.width}×${size.height} given earlier`)
      }
      size = parsed.size
    }
    pairs.push(parsed.pair)
  }
  if (pairs.length === 0) throw new Error('no point pair in the file')
  return size === undefined ? {pairs} : {pairs, size}
}
