/**
 * Temporal consistency error ("flicker"): the mean absolute change of the normalised value (0..1) between
 * consecutive frames, over the pixels that show the same scene point in both. A static scene point should
 * keep its value; what changes there is flicker. Which pixels are static:
 * - synthetic sequences: known (the generator says which pixels moving objects cover);
 * - generated pans: known too, up to the pan's shift (compare pixel p of frame t with p + shift of t − 1);
 * - real clips: pixels whose source colour barely changed (staticFromSource), a proxy that also keeps flat
 *   moving surfaces, which is why it is reported next to known-static figures, not instead of them.
 */

/** Accumulates the error over a sequence, pair by pair. */
export class FlickerMeter {
  #sum = 0
  #pixels = 0
  #pairs = 0

  /**
   * Adds the pair (previous, current) of normalised frames of `width` columns. `isStatic[i]` (optional)
   * selects pixels of the current frame; `shift` = [dx, dy] says the scene point at current (x, y) was at
   * previous (x + dx, y + dy) (pixels shifted out of the frame are skipped).
   */
  addPair(previous: Float32Array, current: Float32Array, width: number, options: {isStatic?: Uint8Array; shift?: readonly [number, number]} = {}): void {
    const height = current.length / width
    const [dx, dy] = options.shift ?? [0, 0]
    const mask = options.isStatic
    for (let y = 0; y < height; y++) {
      const py = y + dy
      if (py < 0 || py >= height) continue
      for (let x = 0; x < width; x++) {
        const px = x + dx
        const i = y * width + x
        if (px < 0 || px >= width || (mask !== undefined && mask[i] === 0)) continue
        this.#sum += Math.abs(current[i]! - previous[py * width + px]!)
        this.#pixels++
      }
    }
    this.#pairs++
  }

  /** The mean absolute change over every pixel compared; NaN before any pixel. */
  get error(): number {
    return this.#sum / this.#pixels
  }

  get pairs(): number {
    return this.#pairs
  }

  get pixels(): number {
    return this.#pixels
  }
}

/**
 * The static pixels of a real clip: those whose source colour changed by at most `threshold` levels (of
 * 255) in every channel between two consecutive RGB24 frames (default 2: below compression noise of a
 * good encode).
 */
export function staticFromSource(previous: Uint8Array, current: Uint8Array, threshold = 2): Uint8Array {
  const out = new Uint8Array(current.length / 3)
  for (let i = 0; i < out.length; i++) {
    const j = i * 3
    const d = Math.max(Math.abs(current[j]! - previous[j]!), Math.abs(current[j + 1]! - previous[j + 1]!), Math.abs(current[j + 2]! - previous[j + 2]!))
    out[i] = d <= threshold ? 1 : 0
  }
  return out
}
