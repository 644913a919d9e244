import type {RgbImage} from './rgb.js'

export type Palette = readonly (readonly [number, number, number])[]
type Labels = Uint8Array | Uint16Array | Int32Array | Uint32Array

/** Colour of an ignored (unlabelled) pixel and of a class the palette has no entry for: ADE20K's id 0, black. */
const NONE: readonly [number, number, number] = [0, 0, 0]
const WRONG: readonly [number, number, number] = [235, 20, 20]

/** Class indices → RGB with the dataset's palette (class k has entry k + 1, as `dpt segment` colours ADE ids); ignored pixels black. */
export function classColours(classes: Labels, width: number, height: number, palette: Palette, ignoreIndex: number): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]!
    const [r, g, b] = c === ignoreIndex ? NONE : (palette[c + 1] ?? NONE)
    data[i * 3] = r
    data[i * 3 + 1] = g
    data[i * 3 + 2] = b
  }
  return {width, height, data}
}

/**
 * Where the prediction is wrong: the image at 40 % brightness, wrong pixels red, unlabelled (ignored) pixels
 * darker still, right pixels as the dimmed image. Reading it: the red is what the mIoU loses.
 */
export function mistakes(image: RgbImage, pred: Labels, label: Labels, ignoreIndex: number): RgbImage {
  const data = new Uint8Array(image.data.length)
  for (let i = 0; i < label.length; i++) {
    const l = label[i]!
    for (let c = 0; c < 3; c++) {
      const v = image.data[i * 3 + c]!
      data[i * 3 + c] = l === ignoreIndex ? v * 0.2 : l !== pred[i] ? 0.25 * v + 0.75 * WRONG[c]! : 0.4 * v + 40
    }
  }
  return {width: image.width, height: image.height, data}
}

export interface ClassPresence {
  readonly index: number
  /** Pixels labelled as the class, and predicted as it, in this image. */
  readonly labelPixels: number
  readonly predictedPixels: number
}

/** The classes in an image's labels or prediction, most pixels (labelled + predicted) first, ties by index. */
export function classesPresent(pred: Labels, label: Labels, ignoreIndex: number, numClasses: number): ClassPresence[] {
  const labelled = new Float64Array(numClasses)
  const predicted = new Float64Array(numClasses)
  for (let i = 0; i < label.length; i++) {
    const l = label[i]!
    if (l === ignoreIndex) continue
    if (l < numClasses) labelled[l]!++
    const p = pred[i]!
    if (p < numClasses) predicted[p]!++
  }
  const out: ClassPresence[] = []
  for (let c = 0; c < numClasses; c++)
    if (labelled[c]! > 0 || predicted[c]! > 0) out.push({index: c, labelPixels: labelled[c]!, predictedPixels: predicted[c]!})
  return out.sort((a, b) => b.labelPixels + b.predictedPixels - (a.labelPixels + a.predictedPixels) || a.index - b.index)
}
