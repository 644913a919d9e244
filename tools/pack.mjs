// npm pack/publish hooks (package.json prepack/postpack): `node tools/pack.mjs pre|post`, run after the build;
// `manifest` alone is the last step of `npm run build`.
//
// pre writes two things into the tree that `npm pack` then takes, and post puts onnxruntime-node back (the manifest,
// ignored by git, stays: the build writes it too, so a tree that was built always has one in step with dist/):
// - oclif.manifest.json: oclif reads the commands' metadata from it instead of importing every command
//   (`dpt --version` 0.70 → 0.29 s, `dpt depth --help` 1.24 → 0.43 s).
// - the bundled onnxruntime-node without its postinstall. On linux/x64, with no flag set, that script downloads
//   the CUDA provider from NuGet, and the install fails on a machine that reaches only the npm registry. A
//   dependency's .npmrc is ignored and `overrides` count only at the root, but a bundled dependency
//   (package.json bundleDependencies) is installed exactly as packed: onnxruntime-node as published, less that
//   one `scripts` entry. The CPU provider is in the npm package; the CUDA provider is one documented command
//   (README, Install) that runs the same script. (npm 9 and 10, in global installs of a package that has any
//   bundled dependency, also install sharp's packages for every other platform: 27 instead of 4, +240 MB, unused;
//   npm 11 and local installs do not.)
import {Plugin} from '@oclif/core'
import {copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const ortJson = join(root, 'node_modules', 'onnxruntime-node', 'package.json')
const savedOrtJson = join(root, 'node_modules', '.cache', 'dpt-pack', 'onnxruntime-node.package.json')
const manifest = join(root, 'oclif.manifest.json')

/** What onnxruntime-node's postinstall downloads: a tree that has them would pack 400+ MB of CUDA libraries. */
const CUDA_FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so', 'libonnxruntime_providers_tensorrt.so']

async function pre() {
  const cuda = CUDA_FILES.map((f) => join(dirname(ortJson), 'bin', 'napi-v6', 'linux', 'x64', f)).filter((f) => existsSync(f))
  if (cuda.length > 0) throw new Error(`${cuda.join(', ')} would be packed: pack from a tree installed with ONNXRUNTIME_NODE_INSTALL=skip npm ci`)

  await writeManifest()

  const ort = JSON.parse(readFileSync(ortJson, 'utf8'))
  if (ort.scripts?.postinstall === undefined) return
  mkdirSync(dirname(savedOrtJson), {recursive: true})
  copyFileSync(ortJson, savedOrtJson)
  delete ort.scripts.postinstall
  writeFileSync(ortJson, JSON.stringify(ort, null, 2) + '\n')
}

/** oclif.manifest.json from the built commands (also `npm run build`: every dpt the tests start loads faster). */
async function writeManifest() {
  rmSync(manifest, {force: true})
  const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true})
  await plugin.load()
  writeFileSync(manifest, JSON.stringify(plugin.manifest, null, 2) + '\n')
}

function post() {
  if (existsSync(savedOrtJson)) renameSync(savedOrtJson, ortJson)
}

const step = process.argv[2]
if (step === 'pre') await pre()
else if (step === 'manifest') await writeManifest()
else if (step === 'post') post()
else throw new Error('usage: node tools/pack.mjs pre|post')
