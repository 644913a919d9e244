import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {cp, mkdir, rename, rm} from 'node:fs/promises'
import {basename, join, relative, resolve} from 'node:path'
import type {Task} from '../model/card.js'
import {cardFromHf} from '../model/hf-config.js'
import {locateModel, VARIANT_FILES, type Dtype} from '../model/locate.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {MANIFEST, modelDir, readManifest, writeManifest, type CachePaths, type Manifest, type ManifestFile} from './cache.js'
import {withModelLock} from './lock.js'
import {provenanceOf, type Provenance} from './provenance.js'
import {findEntry, type Registry} from './registry.js'
import {sha256File} from './verify.js'

export interface ImportResult {
  readonly id: string
  readonly task: Task
  readonly dir: string
  readonly dtypes: readonly Dtype[]
  readonly replaced: boolean
  readonly files: readonly ManifestFile[]
  /** Whether it is the registry's model of that id (provenance.ts); a registry id whose files do not match is local. */
  readonly provenance: Provenance
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name !== MANIFEST)
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort()
}

/** The task of a folder locateModel accepts: its card's, or its Hugging Face config's architecture. */
function taskOf(folder: string, dtype: Dtype): Task {
  const located = locateModel(folder, {dtype})
  if (located.card !== undefined) return located.card.task
  const {card, problems} = cardFromHf(located.name, located.hf!.config, located.hf!.preprocessor, {input: 'pixel_values', output: 'output'})
  if (card === undefined) throw new DptError(`Cannot import ${folder}: ${problems.join('; ')}`, {exitCode: ExitCode.model})
  return card.task
}

/**
 * Registers an exported model folder in the cache under an id (by default the folder's name): checked as
 * `--model` would load it, copied whole into a staging folder, hashed into a manifest, then renamed into place
 * under the model's lock. A registry id makes it what `--model ID` (or the task default) runs; it is the registry's
 * model only when its files match what the registry pins (provenance.ts), otherwise it is listed as local.
 */
export async function importModel(registry: Registry, paths: CachePaths, source: string, options: {id?: string; force: boolean}): Promise<ImportResult> {
  const from = resolve(source)
  if (!existsSync(from) || !statSync(from).isDirectory()) {
    throw new DptError(`Not a folder: ${source}`, {
      remedy: 'Pass the folder tools/export_model.py wrote with --out (config files and onnx/model.onnx, or a dpt-card.json).',
    })
  }
  const onnxDir = existsSync(join(from, 'onnx')) ? join(from, 'onnx') : from
  const dtypes = (Object.keys(VARIANT_FILES) as Dtype[]).filter((d) => existsSync(join(onnxDir, VARIANT_FILES[d])))
  if (dtypes.length === 0) {
    throw new DptError(`${source} holds no ONNX model (onnx/model.onnx, model_fp16.onnx or model_quantized.onnx)`, {exitCode: ExitCode.model})
  }
  const task = taskOf(from, dtypes[0]!)
  const id = options.id ?? basename(from).toLowerCase()
  const dir = modelDir(paths, id)
  const entry = findEntry(registry, id)
  if (entry !== undefined && entry.task !== task) {
    throw new DptError(`${source} is a ${task} model but registry id ${id} is a ${entry.task} model`, {
      exitCode: ExitCode.model,
      remedy: 'Import it under another --id.',
    })
  }
  return withModelLock(
    paths,
    id,
    () => undefined,
    async () => {
      const replaced = readManifest(dir) !== undefined || existsSync(dir)
      if (replaced && !options.force) {
        throw new DptError(`${id} is already in the cache (${dir})`, {remedy: `Pass --force to replace it, or import under another --id.`})
      }
      await mkdir(paths.models, {recursive: true})
      const staging = join(paths.models, `.import-${id}-${randomBytes(4).toString('hex')}`)
      try {
        await cp(from, staging, {recursive: true, filter: (src) => !basename(src).startsWith('.') || src === from})
        await rm(join(staging, MANIFEST), {force: true})
        const onnxPrefix = onnxDir === from ? '' : 'onnx/'
        const files: ManifestFile[] = []
        for (const path of filesBelow(staging)) {
          const full = join(staging, path)
          const dtype = dtypes.find((d) => path === `${onnxPrefix}${VARIANT_FILES[d]}`) ?? null
          files.push({path, size: statSync(full).size, sha256: await sha256File(full), verifiedBy: 'imported', dtype})
        }
        const manifest: Manifest = {schema: 'dpt-model-manifest/1', id, task, source: {kind: 'import', from}, files, updatedAt: new Date().toISOString()}
        await writeManifest(staging, manifest)
        if (existsSync(dir)) await rm(dir, {recursive: true, force: true})
        await rename(staging, dir)
        return {id, task, dir, dtypes, replaced, files, provenance: provenanceOf(entry, manifest, dir)}
      } finally {
        await rm(staging, {recursive: true, force: true})
      }
    },
  )
}
