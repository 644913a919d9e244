/**
 * The network input size for an image: MiDaS `transforms.Resize.get_size` (isl-org/DPT, isl-org/MiDaS,
 * Depth Anything V2). Hugging Face's DPT `get_resize_output_image_size` is the same computation as the
 * `minimal` rule (Python `round` is also round-half-to-even); the goldens check both.
 */
import type {SizeRule} from '../../model/card.js'

export interface ImageSize {
  readonly width: number
  readonly height: number
}

export interface SizeSpec {
  /** Target height and width before the rule is applied (MiDaS `Resize(width, height, ...)`). */
  readonly height: number
  readonly width: number
  readonly keepAspect: boolean
  readonly rule: SizeRule
  readonly multiple: number
}

/**
 * numpy's `np.round` for float64 (round half to even). `Math.round` rounds halves up, which turns the
 * 400×384 → 384×384 DPT case into 416×384.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  // r - x is exact here; only an exact half with an odd upward neighbour goes down instead.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * MiDaS `Resize.constrain_to_multiple_of`: nearest multiple (half to even), then floor when above
 * `max`, ceil when below `min`.
 */
function constrainToMultiple(x: number, multiple: number, min: number, max: number): number {
  let y = roundHalfEven(x / multiple) * multiple
  if (y > max) y = Math.floor(x / multiple) * multiple
  if (y < min) y = Math.ceil(x / multiple) * multiple
  return y
}

/**
 * The resized image size: a scale per side; with `keepAspect` one scale for both sides — the one closer
 * to 1 (`minimal`), the larger (`lower_bound`) or the smaller (`upper_bound`); then each side becomes a
 * multiple, not below the target (`lower_bound`) or not above it (`upper_bound`).
 */
export function networkSize(image: ImageSize, spec: SizeSpec): ImageSize {
  let scaleHeight = spec.height / image.height
  let scaleWidth = spec.width / image.width
  if (spec.keepAspect) {
    const useWidth =
      spec.rule === 'lower_bound'
        ? scaleWidth > scaleHeight
        : spec.rule === 'upper_bound'
          ? scaleWidth < scaleHeight
          : Math.abs(1 - scaleWidth) < Math.abs(1 - scaleHeight)
    if (useWidth) scaleHeight = scaleWidth
    else scaleWidth = scaleHeight
  }
  const lower = spec.rule === 'lower_bound'
  const upper = spec.rule === 'upper_bound'
  const size = {
    width: constrainToMultiple(scaleWidth * image.width, spec.multiple, lower ? spec.width : 0, upper ? spec.width : Number.POSITIVE_INFINITY),
    height: constrainToMultiple(scaleHeight * image.height, spec.multiple, lower ? spec.height : 0, upper ? spec.height : Number.POSITIVE_INFINITY),
  }
  if (size.width < 1 || size.height < 1) {
    throw new RangeError(
      `The ${image.width}×${image.height} image maps to a ${size.width}×${size.height} network input under the ` +
        `${spec.rule} rule (target ${spec.width}×${spec.height}, multiple ${spec.multiple}); use a larger image.`,
    )
  }
  return size
}
