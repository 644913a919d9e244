import {COLORMAP_LUTS_HEX} from './colormap-luts.js'

/**
 * Colour maps for 8-bit depth images, as 256-entry RGB tables (tools/colormap_luts.py):
 * - inferno, turbo, viridis: cv2.applyColorMap on uint8 input (MiDaS v3.1 writes inferno this way), in RGB;
 * - spectral_r: Depth Anything V2's matplotlib Spectral_r × 255, truncated;
 * - gray: the value in all three channels (Depth Anything's --grayscale).
 */
export const COLORMAPS = ['inferno', 'turbo', 'viridis', 'spectral_r', 'gray'] as const
export type ColormapName = (typeof COLORMAPS)[number]

const cache = new Map<ColormapName, Uint8Array>()

/** The 256×3 RGB table of a colour map (shared; do not modify). */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = cache.get(name)
  if (lut === undefined) {
    if (name === 'gray') {
      lut = new Uint8Array(768)
      for (let v = 0; v < 256; v++) lut.fill(v, v * 3, v * 3 + 3)
    } else {
      lut = new Uint8Array(Buffer.from(COLORMAP_LUTS_HEX[name], 'hex'))
    }
    if (lut.length !== 768) throw new Error(`Colour map ${name} has ${lut.length} bytes, expected 768`)
    cache.set(name, lut)
  }
  return lut
}

/** Maps each uint8 value to its colour: interleaved RGB, three bytes per input value. */
export function applyColormap(u8: Uint8Array, name: ColormapName): Uint8Array {
  const lut = colormapLut(name)
  const out = new Uint8Array(u8.length * 3)
  for (let i = 0, o = 0; i < u8.length; i++, o += 3) {
    const k = u8[i]! * 3
    out[o] = lut[k]!
    out[o + 1] = lut[k + 1]!
    out[o + 2] = lut[k + 2]!
  }
  return out
}
