import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

const require = createRequire(import.meta.url)

/**
 * The command that adds onnxruntime-node's CUDA provider to this install. The npm package ships the CPU provider
 * only; its own installer fetches the CUDA libraries (NuGet) into the binding folder. The packed dpt bundles
 * onnxruntime-node without running that installer (tools/pack.mjs), and a clone's .npmrc skips it, so on a GPU
 * machine it is run once by hand, with its own flag, wherever this install keeps onnxruntime-node.
 */
export function cudaInstallCommand(): string {
  const script = join(dirname(require.resolve('onnxruntime-node/package.json')), 'script', 'install.js')
  return `node ${JSON.stringify(script)} --onnxruntime-node-install=cuda12`
}
