import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import type {Task} from '../model/card.js'
import type {Dtype} from '../model/locate.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {cachePaths, modelDir, readManifest} from './cache.js'
import {hubSettings} from './http.js'
import {isInstalled, pullModel, type PullEvents} from './pull.js'
import {exportRemedy, findEntry, loadRegistry} from './registry.js'

export interface ModelRequest {
  /** --model: a path (file or folder), a registry id, or undefined for the task's default. */
  readonly ref: string | undefined
  readonly task: Task
  readonly dtype: Dtype
  readonly offline: boolean
}

/** A value that names a file system location rather than a registry id. */
const looksLikePath = (ref: string): boolean => /[\\/]/.test(ref) || ref.startsWith('.') || ref.toLowerCase().endsWith('.onnx')

/**
 * Turns --model into a path locateModel accepts. An existing path wins; otherwise a registry id (or, without
 * --model, the task's registry default) resolves to its folder in the cache, pulled first when it is missing
 * (never under offline mode). Models with no published ONNX must have been imported.
 */
export async function resolveModelPath(request: ModelRequest, events: PullEvents = {}): Promise<string> {
  const {ref, task, dtype, offline} = request
  if (ref !== undefined && (existsSync(resolve(ref)) || looksLikePath(ref))) return ref
  const registry = loadRegistry()
  const id = ref ?? registry.defaults[task]
  const entry = findEntry(registry, id)
  if (entry === undefined) {
    throw new DptError(`Model not found: ${ref} is neither a file or folder nor a registry id`, {
      exitCode: ExitCode.model,
      remedy: `Pass --model a model folder or .onnx file, or one of: ${registry.models.map((m) => m.id).join(', ')} (dpt models list).`,
    })
  }
  if (entry.task !== task) {
    throw new DptError(`${id} is a ${entry.task} model; this command needs a ${task} model`, {
      exitCode: ExitCode.model,
      remedy: `Models for ${task}: ${registry.models
        .filter((m) => m.task === task)
        .map((m) => m.id)
        .join(', ')}.`,
    })
  }
  const paths = cachePaths()
  const dir = modelDir(paths, id)
  if (entry.source === null) {
    if (readManifest(dir) !== undefined) return dir
    throw new DptError(`${id}${ref === undefined ? ` (the default ${task} model)` : ''} is not installed, and no ONNX of it is published to download`, {
      exitCode: ExitCode.model,
      remedy: `${exportRemedy(entry)}\nOr pass --model a ${task} model folder.`,
    })
  }
  if (isInstalled(dir, dtype)) return dir
  const result = await pullModel(registry, paths, hubSettings(), entry, {dtype, offline, allowUnverified: false}, events)
  return result.dir
}
