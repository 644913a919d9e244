import {spawn, spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {ModelCard} from '../../src/model/card.js'
import {VARIANT_FILES} from '../../src/model/locate.js'
import {benchCache, repoRoot} from './paths.js'
import type {TjsChildRequest, TjsChildResult} from './transformers-js-child.js'

/** Pinned: a peer figure is only comparable with the version it was measured on. */
export const TRANSFORMERS_JS_VERSION = '4.3.1'

const peersDir = join(benchCache, 'peers')

const versionOf = (packageJson: string): string | undefined =>
  existsSync(packageJson) ? (JSON.parse(readFileSync(packageJson, 'utf8')) as {version: string}).version : undefined

export interface TjsInstall {
  readonly entry: string
  readonly version: string
  readonly onnxruntime: string
}

/**
 * transformers.js installed into the bench cache, never into dpt's dependencies (CI installs those), with npm
 * `overrides` holding its onnxruntime-node at the version dpt runs, so the comparison is between pipelines, not
 * runtimes. onnxruntime-node's install script (a CUDA download) is skipped as in the project's .npmrc.
 */
export function ensureTransformersJs(): TjsInstall {
  const ort = versionOf(join(repoRoot, 'node_modules', 'onnxruntime-node', 'package.json'))
  if (ort === undefined) throw new Error('onnxruntime-node is not installed in the project (npm ci)')
  const pkg = join(peersDir, 'node_modules', '@huggingface', 'transformers')
  // onnxruntime-node as transformers.js resolves it: a nested copy first, else the hoisted one.
  const peerOrt = (): string | undefined =>
    versionOf(join(pkg, 'node_modules', 'onnxruntime-node', 'package.json')) ?? versionOf(join(peersDir, 'node_modules', 'onnxruntime-node', 'package.json'))
  if (versionOf(join(pkg, 'package.json')) !== TRANSFORMERS_JS_VERSION || peerOrt() !== ort) {
    mkdirSync(peersDir, {recursive: true})
    const manifest = {
      name: 'dpt-bench-peers',
      private: true,
      description: 'transformers.js for `npm run bench:peers` of dpt; not a dependency of dpt',
      dependencies: {'@huggingface/transformers': TRANSFORMERS_JS_VERSION},
      overrides: {'onnxruntime-node': ort},
    }
    writeFileSync(join(peersDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
    writeFileSync(join(peersDir, '.npmrc'), 'onnxruntime-node-install=skip\n')
    console.error(`Installing @huggingface/transformers@${TRANSFORMERS_JS_VERSION} (onnxruntime-node ${ort}) into ${peersDir}…`)
    // Under `npm run`, npm_config_local_prefix etc. name dpt's own folder; the nested install must not see them.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config_(local_)?prefix|package_|lifecycle_)/i.test(key)))
    const npm = spawnSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund'], {
      cwd: peersDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {...env, ONNXRUNTIME_NODE_INSTALL: 'skip'},
    })
    if (npm.status !== 0) throw new Error(`npm install in ${peersDir} failed`)
  }
  const installed = peerOrt()
  if (installed !== ort) throw new Error(`transformers.js got onnxruntime-node ${installed}, dpt runs ${ort}`)
  const exports = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {exports: {node: {import: {default: string}}}}).exports
  return {entry: join(pkg, exports.node.import.default), version: TRANSFORMERS_JS_VERSION, onnxruntime: installed}
}

/**
 * A copy of the benchmark model folder for transformers.js (config.json, a preprocessor_config.json with the
 * card's size rule, the ONNX files symlinked, not copied), so both feed the network the same sizes.
 * transformers.js's DPT processor implements keep_aspect_ratio + ensure_multiple_of as MiDaS' "minimal" rule
 * with half-to-even rounding, and resamples with sharp's affine bicubic for `resample: 3`; dpt and the
 * reference use cv2 INTER_CUBIC, so the pixels differ slightly but the tensor sizes do not.
 * Returns transformers.js's localModelPath (the model id is the folder name).
 */
export function peerModelFolder(modelDir: string, modelId: string): string {
  const card = JSON.parse(readFileSync(join(modelDir, 'dpt-card.json'), 'utf8')) as ModelCard
  const pre = card.preprocess
  if (!pre.keepAspect || pre.rule !== 'minimal') {
    throw new Error(`${modelDir}: transformers.js implements only the keep-aspect "minimal" rule, the card says ${pre.rule}`)
  }
  const localModelPath = join(peersDir, 'models')
  const folder = join(localModelPath, modelId)
  mkdirSync(join(folder, 'onnx'), {recursive: true})
  copyFileSync(join(modelDir, 'config.json'), join(folder, 'config.json'))
  const processor = {
    image_processor_type: 'DPTImageProcessor',
    do_resize: true,
    size: {height: pre.height, width: pre.width},
    keep_aspect_ratio: true,
    ensure_multiple_of: pre.multiple,
    resample: 3, // bicubic
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: pre.mean,
    image_std: pre.std,
    do_pad: false,
  }
  writeFileSync(join(folder, 'preprocessor_config.json'), JSON.stringify(processor, null, 2) + '\n')
  for (const file of [VARIANT_FILES.fp32, VARIANT_FILES.q8]) {
    const link = join(folder, 'onnx', file)
    rmSync(link, {force: true})
    if (existsSync(join(modelDir, 'onnx', file))) symlinkSync(join(modelDir, 'onnx', file), link)
  }
  return localModelPath
}

export interface TjsRun extends TjsChildResult {
  readonly version: string
  readonly onnxruntime: string
}

/** The transformers.js depth-estimation pipeline over the photos, in its own Node process. */
export function runTransformersJs(
  install: TjsInstall,
  localModelPath: string,
  modelId: string,
  files: readonly string[],
  options: {dtype: 'fp32' | 'q8'; threads: number},
): Promise<TjsRun> {
  const outDir = mkdtempSync(join(tmpdir(), 'dpt-bench-tjs-'))
  const request: TjsChildRequest = {entry: install.entry, localModelPath, modelId, dtype: options.dtype, threads: options.threads, files, outDir}
  const child = fileURLToPath(new URL('./transformers-js-child.js', import.meta.url))
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, JSON.stringify(request)], {stdio: ['ignore', 'pipe', 'inherit']})
    let stdout = ''
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    proc.on('error', reject)
    proc.on('close', (code) => {
      rmSync(outDir, {recursive: true, force: true})
      if (code !== 0) reject(new Error(`transformers.js run exited ${code}`))
      else resolve({...(JSON.parse(stdout) as TjsChildResult), version: install.version, onnxruntime: install.onnxruntime})
    })
  })
}
