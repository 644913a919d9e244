import {existsSync, readFileSync, readdirSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {checkCardJson} from './card-schema.js'
import type {ModelCard} from './card.js'

export type Dtype = 'fp32' | 'fp16' | 'q8'

/** transformers.js file names of the ONNX variants in a model folder's onnx/ directory. */
export const VARIANT_FILES: Record<Dtype, string> = {fp32: 'model.onnx', fp16: 'model_fp16.onnx', q8: 'model_quantized.onnx'}

/** A model found on disk, before its graph is opened. */
export interface LocatedModel {
  readonly name: string
  readonly onnxPath: string
  readonly dtype: Dtype
  /** A dpt card file, when the model has one; it wins over the Hugging Face config files. */
  readonly card?: ModelCard
  readonly cardPath?: string
  readonly hf?: {readonly config: Record<string, unknown>; readonly preprocessor: Record<string, unknown>}
}

function readJson(path: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch (error) {
    throw new DptError(`Could not read ${what} ${path}: ${(error as Error).message}`, {exitCode: ExitCode.model, cause: error})
  }
}

function readCard(path: string): ModelCard {
  const json = readJson(path, 'the model card')
  const problems = checkCardJson(json)
  if (problems.length > 0) {
    throw new DptError(`Invalid model card ${path}:\n  ${problems.join('\n  ')}`, {
      exitCode: ExitCode.model,
      remedy: 'See models/card.schema.json for the card format.',
    })
  }
  return json as unknown as ModelCard
}

/**
 * Finds the ONNX file and the description of a model given as a folder (Hugging Face / transformers.js layout,
 * optionally with a dpt-card.json) or as a bare .onnx file with a card next to it (NAME.card.json or
 * dpt-card.json) or given by --card.
 */
export function locateModel(ref: string, options: {dtype: Dtype; cardPath?: string}): LocatedModel {
  const path = resolve(ref)
  if (!existsSync(path)) {
    throw new DptError(`Model not found: ${ref}`, {
      exitCode: ExitCode.model,
      remedy: 'Pass --model a model folder (config.json, onnx/model.onnx) or an .onnx file with a model card.',
    })
  }
  const explicitCard = options.cardPath === undefined ? undefined : resolve(options.cardPath)
  if (statSync(path).isFile()) {
    const sibling = [path.replace(/\.onnx$/i, '.card.json'), join(dirname(path), 'dpt-card.json')].find((p) => existsSync(p))
    const cardPath = explicitCard ?? sibling
    if (cardPath === undefined) {
      throw new DptError(`${ref} is a bare ONNX file without a model card`, {
        exitCode: ExitCode.model,
        remedy: `Write ${basename(path).replace(/\.onnx$/i, '.card.json')} next to it (format: models/card.schema.json) or pass --card FILE.`,
      })
    }
    const card = readCard(cardPath)
    return {name: card.name, onnxPath: path, dtype: options.dtype, card, cardPath}
  }
  const onnxDir = existsSync(join(path, 'onnx')) ? join(path, 'onnx') : path
  const onnxPath = join(onnxDir, VARIANT_FILES[options.dtype])
  if (!existsSync(onnxPath)) {
    const present = existsSync(onnxDir) ? readdirSync(onnxDir).filter((f) => f.endsWith('.onnx')) : []
    const available = (Object.keys(VARIANT_FILES) as Dtype[]).filter((d) => present.includes(VARIANT_FILES[d]))
    throw new DptError(`Model folder ${ref} has no ${options.dtype} variant (${onnxPath})`, {
      exitCode: ExitCode.model,
      remedy: available.length > 0 ? `Use --dtype ${available.join(' | ')}.` : 'The folder needs onnx/model.onnx (Hugging Face / transformers.js layout).',
    })
  }
  const cardPath = explicitCard ?? (existsSync(join(path, 'dpt-card.json')) ? join(path, 'dpt-card.json') : undefined)
  if (cardPath !== undefined) {
    const card = readCard(cardPath)
    return {name: card.name, onnxPath, dtype: options.dtype, card, cardPath}
  }
  const configPath = join(path, 'config.json')
  const prePath = join(path, 'preprocessor_config.json')
  if (!existsSync(configPath) || !existsSync(prePath)) {
    throw new DptError(`Model folder ${ref} has neither dpt-card.json nor config.json + preprocessor_config.json`, {
      exitCode: ExitCode.model,
      remedy: 'Add a dpt-card.json (format: models/card.schema.json) or the Hugging Face config files.',
    })
  }
  return {
    name: basename(path),
    onnxPath,
    dtype: options.dtype,
    hf: {config: readJson(configPath, 'config'), preprocessor: readJson(prePath, 'preprocessor config')},
  }
}
