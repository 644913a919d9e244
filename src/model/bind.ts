import {DptError, ExitCode} from '../pipeline/errors.js'
import type {TensorMeta} from '../pipeline/infer/protocol.js'
import type {ModelCard} from './card.js'
import type {Size} from '../pipeline/sample.js'
import {cardFromHf} from './hf-config.js'
import {withInputSize} from './input-size.js'
import type {LocatedModel} from './locate.js'

const fixed = (d: number | string | undefined): number | undefined => (typeof d === 'number' && d > 0 ? d : undefined)

/**
 * The card the run uses, checked against the graph's own input/output metadata. Any contradiction is an error:
 * running a model with the wrong contract gives plausible-looking wrong outputs, the worst kind. `inputSize`
 * (--input-size) replaces the card's target size once the card itself has been checked.
 */
export function bindCard(model: LocatedModel, graph: {inputs: readonly TensorMeta[]; outputs: readonly TensorMeta[]}, inputSize?: Size): ModelCard {
  const source = model.cardPath ?? `${model.name} (config.json + preprocessor_config.json)`
  let card = model.card
  if (card === undefined) {
    const [input] = graph.inputs
    const [output] = graph.outputs
    if (graph.inputs.length !== 1 || input === undefined || output === undefined) {
      throw contradiction(
        source,
        `the graph has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs; without a dpt card it must have exactly one input`,
      )
    }
    const derived = cardFromHf(model.name, model.hf?.config ?? {}, model.hf?.preprocessor ?? {}, {input: input.name, output: output.name})
    if (derived.card === undefined) throw contradiction(source, derived.problems.join('; '))
    card = derived.card
  }
  const input = graph.inputs.find((m) => m.name === card.input.name)
  const output = graph.outputs.find((m) => m.name === card.output.name)
  const problems: string[] = []
  if (input === undefined) problems.push(`input "${card.input.name}" is not in the graph (inputs: ${graph.inputs.map((m) => m.name).join(', ')})`)
  if (output === undefined) problems.push(`output "${card.output.name}" is not in the graph (outputs: ${graph.outputs.map((m) => m.name).join(', ')})`)
  if (input !== undefined) {
    if (input.type !== 'float32') problems.push(`input "${input.name}" is ${input.type}; dpt feeds float32`)
    if (input.shape.length !== 4) problems.push(`input "${input.name}" has rank ${input.shape.length}; expected [N, 3, H, W]`)
    const channels = fixed(input.shape[1])
    if (channels !== undefined && channels !== 3) problems.push(`input "${input.name}" has ${channels} channels; expected 3`)
    const h = fixed(input.shape[2])
    const w = fixed(input.shape[3])
    const pre = card.preprocess
    if (h !== undefined || w !== undefined) {
      if (pre.keepAspect) problems.push(`the graph only accepts ${w ?? '?'}×${h ?? '?'} inputs but the card keeps the aspect ratio (sizes vary per image)`)
      else if ((h !== undefined && h !== pre.height) || (w !== undefined && w !== pre.width)) {
        problems.push(`the graph only accepts ${w ?? '?'}×${h ?? '?'} inputs but the card resizes to ${pre.width}×${pre.height}`)
      }
    }
  }
  if (output !== undefined) {
    if (output.type !== 'float32') problems.push(`output "${output.name}" is ${output.type}; dpt reads float32`)
    const rank = output.shape.length
    if (card.task === 'depth') {
      const okRank = rank === 3 || (rank === 4 && (fixed(output.shape[1]) ?? 1) === 1)
      if (!okRank) problems.push(`output "${output.name}" has shape [${output.shape.join(', ')}]; a depth model gives [N, H, W] or [N, 1, H, W]`)
    } else {
      const classes = fixed(output.shape[1])
      if (rank !== 4) problems.push(`output "${output.name}" has rank ${rank}; segmentation logits are [N, C, H, W]`)
      else if (classes !== undefined && card.labels !== undefined && classes !== card.labels.length) {
        problems.push(`output "${output.name}" has ${classes} classes but the card names ${card.labels.length}`)
      } else if (classes === 1) problems.push(`output "${output.name}" has 1 channel: this looks like a depth model, not segmentation`)
    }
  }
  if (problems.length > 0) throw contradiction(source, problems.join('; '))
  if (inputSize === undefined) return card
  const h = fixed(input?.shape[2])
  const w = fixed(input?.shape[3])
  if ((h !== undefined && h !== inputSize.height) || (w !== undefined && w !== inputSize.width)) {
    throw new DptError(`--input-size ${inputSize.width}x${inputSize.height} does not fit ${card.name}: its graph only accepts ${w ?? '?'}×${h ?? '?'} inputs`, {
      exitCode: ExitCode.usage,
      remedy: 'Drop --input-size for this model, or export it with dynamic height and width (tools/export_model.py does).',
    })
  }
  return withInputSize(card, inputSize)
}

function contradiction(source: string, detail: string): DptError {
  return new DptError(`The model's description contradicts its ONNX graph (${source}): ${detail}`, {
    exitCode: ExitCode.model,
    remedy: 'Fix the card (models/card.schema.json) or re-export the model; dpt will not guess.',
  })
}
