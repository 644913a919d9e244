/**
 * How 16-bit images are read (`--keep-16bit`), decided once in the settings.
 * - `high-byte` (default): each sample's high byte, `v >> 8`, as the references read such files
 *   (tools/input16_goldens.py, checked with cv2 5.0 and Pillow 13): cv2.imread (isl-org's run scripts) keeps the
 *   high byte of every 16-bit PNG and of grey TIFFs; Pillow's convert("RGB") (Hugging Face's load_image) keeps it
 *   for RGB and RGBA. Two departures, deliberate: Pillow clips plain 16-bit grey (mode I;16) to 0..255, which
 *   whitens the image, and cv2 rounds v / 257 on colour TIFFs (at most one level from the high byte).
 * - `full`: all 16 bits on the float path (cv2-cubic cards divide by 65535); families that resize uint8 (the
 *   Pillow kernels) still need 8 bits and take the nearest one, round(v / 257).
 */
export type SixteenBitInput = 'high-byte' | 'full'

/** The high byte of every sample: libpng's png_set_strip_16, what cv2.imread does to a 16-bit PNG. */
export function highByte(samples: Uint16Array): Uint8Array {
  const out = new Uint8Array(samples.length)
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! >>> 8
  return out
}
