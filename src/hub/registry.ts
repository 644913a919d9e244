import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {resolve} from 'node:path'
import {Ajv} from 'ajv'
import type {DepthSemantics, PreprocessCard, Task, UpsampleMode} from '../model/card.js'
import type {Dtype} from '../model/locate.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {exportRemedyText} from './export-route.js'

const require = createRequire(import.meta.url)
const registrySchema = require('../../../models/registry.schema.json') as object
const cardSchema = require('../../../models/card.schema.json') as object

/** The registry that ships with dpt; DPT_REGISTRY points at another file (tests, private mirrors). */
export const BUNDLED_REGISTRY = require.resolve('../../../models/registry.json')

export interface RegistryFile {
  readonly path: string
  readonly size: number | null
  readonly sha256: string | null
}

export interface HubSource {
  readonly repo: string
  readonly revision: string
  readonly files: readonly RegistryFile[]
  readonly dtypes: Partial<Record<Dtype, readonly RegistryFile[]>>
}

export interface ExportRecipe {
  readonly checkpoint: {readonly file: string; readonly url: string; readonly size: number | null; readonly sha256Prefix: string | null}
  readonly command: string
}

export interface RegistryEntry {
  readonly id: string
  readonly title: string
  readonly task: Task
  readonly params: string | null
  readonly licence: {readonly spdx: string; readonly url: string}
  /** null: no ONNX is published, see `export`. */
  readonly source: HubSource | null
  readonly export: ExportRecipe | null
  readonly card: {
    readonly from: 'preprocessor_config.json' | 'dpt-card.json'
    readonly preprocess: PreprocessCard
    readonly upsample: UpsampleMode
    readonly semantics?: DepthSemantics
    readonly metricPngScale?: number
    readonly labels?: 'ade20k-150'
    readonly output: string
  }
  readonly reported: {readonly source: string; readonly results: readonly {dataset: string; metric: string; value: number; better: 'lower' | 'higher'}[]} | null
  readonly notes: string
}

export interface Registry {
  readonly path: string
  readonly defaults: Readonly<Record<Task, string>>
  readonly models: readonly RegistryEntry[]
}

// The card schema is referenced by its $id (dpt-model-card-1.json): the registry's cards use the same definitions.
let validator: ReturnType<Ajv['compile']> | undefined
const validatorOf = (): ReturnType<Ajv['compile']> => (validator ??= new Ajv({allErrors: true}).addSchema(cardSchema).compile(registrySchema))

/** Problems with a registry's JSON (schema, duplicate ids, defaults naming no entry), one line each. */
export function checkRegistryJson(json: unknown): string[] {
  const validate = validatorOf()
  if (!validate(json)) {
    return (validate.errors ?? []).map((e) => `${e.instancePath === '' ? 'registry' : e.instancePath} ${e.message ?? 'is invalid'}`)
  }
  const {defaults, models} = json as {defaults: Record<Task, string>; models: RegistryEntry[]}
  const problems: string[] = []
  const ids = models.map((m) => m.id)
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`id ${id} is used twice`)
  for (const [task, id] of Object.entries(defaults)) {
    const entry = models.find((m) => m.id === id)
    if (entry === undefined) problems.push(`defaults.${task} names no model: ${id}`)
    else if (entry.task !== task) problems.push(`defaults.${task} is ${id}, a ${entry.task} model`)
  }
  return problems
}

/** The registry in effect: DPT_REGISTRY if set, else the bundled models/registry.json. Validated once. */
export function loadRegistry(env: NodeJS.ProcessEnv = process.env): Registry {
  const path = env.DPT_REGISTRY === undefined || env.DPT_REGISTRY === '' ? BUNDLED_REGISTRY : resolve(env.DPT_REGISTRY)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new DptError(`Could not read the model registry ${path}: ${(error as Error).message}`, {exitCode: ExitCode.model, cause: error})
  }
  const problems = checkRegistryJson(json)
  if (problems.length > 0) {
    throw new DptError(`Invalid model registry ${path}:\n  ${problems.join('\n  ')}`, {
      exitCode: ExitCode.model,
      remedy: 'See models/registry.schema.json for the format.',
    })
  }
  const {defaults, models} = json as {defaults: Record<Task, string>; models: RegistryEntry[]}
  return {path, defaults, models}
}

/** The files of one dtype of a hub model (common files first), or undefined when that dtype is not published. */
export function filesFor(source: HubSource, dtype: Dtype): readonly RegistryFile[] | undefined {
  const variant = source.dtypes[dtype]
  return variant === undefined ? undefined : [...source.files, ...variant]
}

/** Total bytes of a dtype when every size is known, else null. */
export function knownSize(files: readonly RegistryFile[]): number | null {
  return files.every((f) => f.size !== null) ? files.reduce((sum, f) => sum + (f.size ?? 0), 0) : null
}

export function findEntry(registry: Registry, id: string): RegistryEntry | undefined {
  return registry.models.find((m) => m.id === id)
}

export function requireEntry(registry: Registry, id: string): RegistryEntry {
  const entry = findEntry(registry, id)
  if (entry === undefined) {
    throw new DptError(`Unknown model id ${id}`, {remedy: `Known ids: ${registry.models.map((m) => m.id).join(', ')} (dpt models list).`})
  }
  return entry
}

/** What to tell a user whose model has no published ONNX: the checkpoint URL and the export with the installed exporter. */
export function exportRemedy(entry: RegistryEntry): string {
  return exportRemedyText(entry)
}
