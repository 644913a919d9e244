import type {DepthSemantics, ModelCard, ResizeKernel, Task} from './card.js'

/** The fields of a Hugging Face preprocessor_config.json that decide DPT / Depth Anything preprocessing. */
interface HfPreprocessorConfig {
  do_resize?: boolean
  size?: {height?: number; width?: number; shortest_edge?: number}
  keep_aspect_ratio?: boolean
  ensure_multiple_of?: number
  resample?: number
  do_rescale?: boolean
  rescale_factor?: number
  do_normalize?: boolean
  image_mean?: number[]
  image_std?: number[]
  do_pad?: boolean
}

interface HfConfig {
  architectures?: string[]
  model_type?: string
  id2label?: Record<string, string>
  depth_estimation_type?: string
}

/** PIL resample codes as transformers stores them. */
const RESAMPLE: Record<number, ResizeKernel> = {2: 'pil-bilinear', 3: 'pil-bicubic'}

export const taskOf = (architectures: readonly string[]): Task | undefined => {
  if (architectures.some((a) => a.endsWith('ForSemanticSegmentation'))) return 'segmentation'
  if (architectures.some((a) => a.endsWith('ForDepthEstimation'))) return 'depth'
  return undefined
}

/**
 * Builds the card of a Hugging Face port from its own config files (the semantics of transformers'
 * DPTImageProcessor: resize on the uint8 image with PIL, rescale, normalise; post-processing bicubic for depth,
 * bilinear for segmentation). Input/output names come from the graph. Returns problems instead of guessing.
 */
export function cardFromHf(
  name: string,
  config: HfConfig,
  pre: HfPreprocessorConfig,
  io: {input: string; output: string},
): {card?: ModelCard; problems: string[]} {
  const problems: string[] = []
  const task = taskOf(config.architectures ?? [])
  if (task === undefined)
    problems.push(`config.json architectures ${JSON.stringify(config.architectures)} is neither *ForDepthEstimation nor *ForSemanticSegmentation`)
  const height = pre.size?.height ?? pre.size?.shortest_edge
  const width = pre.size?.width ?? pre.size?.shortest_edge
  if (pre.do_resize === false) problems.push('preprocessor_config.json do_resize=false is not supported: DPT needs a fixed network size')
  if (height === undefined || width === undefined) problems.push('preprocessor_config.json has no size {height, width}')
  const resize = RESAMPLE[pre.resample ?? 3]
  if (resize === undefined) problems.push(`preprocessor_config.json resample=${pre.resample} is not supported (2 bilinear, 3 bicubic)`)
  if (pre.do_rescale !== false && pre.rescale_factor !== undefined && Math.abs(pre.rescale_factor - 1 / 255) > 1e-12) {
    problems.push(`preprocessor_config.json rescale_factor=${pre.rescale_factor} is not 1/255`)
  }
  if (pre.do_rescale === false) problems.push('preprocessor_config.json do_rescale=false is not supported')
  if (pre.do_pad === true) problems.push('preprocessor_config.json do_pad=true is not supported')
  const normalize = pre.do_normalize !== false
  const mean = normalize ? pre.image_mean : [0, 0, 0]
  const std = normalize ? pre.image_std : [1, 1, 1]
  if (mean?.length !== 3 || std?.length !== 3) problems.push('preprocessor_config.json image_mean / image_std must have 3 values')
  if (problems.length > 0 || task === undefined || height === undefined || width === undefined || resize === undefined) return {problems}
  const labels =
    config.id2label === undefined
      ? undefined
      : Object.entries(config.id2label)
          .sort((a, b) => Number(a[0]) - Number(b[0]))
          .map(([, v]) => v)
  const semantics: DepthSemantics = config.depth_estimation_type === 'metric' ? 'metric-depth' : 'relative-inverse-depth'
  const card: ModelCard = {
    schema: 'dpt-model-card/1',
    name,
    task,
    input: {name: io.input},
    output: {name: io.output},
    preprocess: {
      height,
      width,
      keepAspect: pre.keep_aspect_ratio === true,
      rule: 'minimal',
      multiple: pre.ensure_multiple_of ?? 1,
      resize,
      mean: mean as unknown as [number, number, number],
      std: std as unknown as [number, number, number],
    },
    upsample: task === 'depth' ? 'bicubic' : 'bilinear',
    ...(task === 'depth' ? {semantics} : {}),
    ...(task === 'segmentation' && labels !== undefined ? {labels} : {}),
  }
  return {card, problems}
}
