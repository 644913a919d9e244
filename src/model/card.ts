/**
 * The dpt model card: everything the pipeline needs to know about a model that the ONNX graph does not say.
 * JSON schema: models/card.schema.json. A card is declared, never guessed from output values.
 */
export type Task = 'depth' | 'segmentation'

/** How the network input size is chosen from the image size (MiDaS `Resize.resize_method`). */
export type SizeRule = 'minimal' | 'lower_bound' | 'upper_bound'

/**
 * Resize kernels for the network input.
 * - `cv2-cubic`: OpenCV INTER_CUBIC on the float image (the isl-org reference).
 * - `pil-bilinear` / `pil-bicubic`: PIL's antialiased filters on the uint8 image (Hugging Face image processors).
 */
export type ResizeKernel = 'cv2-cubic' | 'pil-bilinear' | 'pil-bicubic'

/** How the prediction returns to the original image size (PyTorch interpolate; bilinear = align_corners False, the HF segmentation ports). */
export type UpsampleMode = 'bicubic' | 'bilinear' | 'bilinear-align-corners'

/** What the depth output means. */
export type DepthSemantics = 'relative-inverse-depth' | 'metric-depth'

export interface PreprocessCard {
  /** Target network size (height × width) before the size rule is applied. */
  readonly height: number
  readonly width: number
  readonly keepAspect: boolean
  readonly rule: SizeRule
  readonly multiple: number
  readonly resize: ResizeKernel
  readonly mean: readonly [number, number, number]
  readonly std: readonly [number, number, number]
}

export interface ModelCard {
  readonly schema: 'dpt-model-card/1'
  readonly name: string
  readonly task: Task
  readonly input: {readonly name: string}
  readonly output: {readonly name: string}
  readonly preprocess: PreprocessCard
  readonly upsample: UpsampleMode
  /** Depth models only. */
  readonly semantics?: DepthSemantics
  /** Metric models: the 16-bit PNG convention (KITTI 256, NYU 1000). */
  readonly metricPngScale?: number
  /** Segmentation models: class names, index = network class index. */
  readonly labels?: readonly string[]
}
