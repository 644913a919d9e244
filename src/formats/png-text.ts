import {pngChunk} from './png-chunk.js'

/**
 * PNG text metadata (tEXt chunks, PNG spec §11.3.4.3): keyword of 1 to 79 printable Latin-1 characters, a NUL,
 * then the text, uncompressed. dpt writes ASCII only, so every reader shows it as it is (`exiftool`, `identify
 * -verbose`, Python's `PIL.Image.open(path).text`). The chunks go right after IHDR, before the image data, so a
 * reader that stops early still sees them.
 */
export type PngText = readonly (readonly [keyword: string, text: string])[]

const KEYWORD = /^[\x21-\x7e](?:[\x20-\x7e]{0,77}[\x21-\x7e])?$/
const SIGNATURE_AND_IHDR = 8 + 12 + 13

/** The tEXt chunks of the entries, one after the other. */
export function textChunks(entries: PngText): Buffer {
  return Buffer.concat(
    entries.map(([keyword, text]) => {
      if (!KEYWORD.test(keyword) || keyword.includes('  ')) throw new RangeError(`Invalid PNG text keyword \`${keyword}\``)
      if (!/^[\x20-\x7e\n]*$/.test(text)) throw new RangeError(`PNG text of ${keyword} must be printable ASCII`)
      return pngChunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'))
    }),
  )
}

/** A PNG with text chunks inserted after its IHDR (sharp's 8-bit PNGs, which cannot carry custom text). */
export function withText(png: Uint8Array, entries: PngText): Buffer {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: IHDR does not follow the signature')
  if (entries.length === 0) return bytes
  return Buffer.concat([bytes.subarray(0, SIGNATURE_AND_IHDR), textChunks(entries), bytes.subarray(SIGNATURE_AND_IHDR)])
}

/** The tEXt entries of a PNG, keyword → text (the last one wins when a keyword repeats). */
export function readPngText(png: Uint8Array): Record<string, string> {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  const text: Record<string, string> = {}
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at)
    const type = bytes.toString('latin1', at + 4, at + 8)
    if (type === 'tEXt') {
      const data = bytes.subarray(at + 8, at + 8 + length)
      const nul = data.indexOf(0)
      if (nul > 0) text[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1)
    }
    if (type === 'IEND') break
    at += 12 + length
  }
  return text
}
