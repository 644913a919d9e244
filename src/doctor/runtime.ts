import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {arch, platform} from 'node:os'
import {dirname, join} from 'node:path'
import {cudaInstallCommand} from '../process/cuda-install.js'
import {probeProvider} from './providers.js'

const require = createRequire(import.meta.url)

export interface ProviderInfo {
  readonly name: string
  /** Its libraries are there: bundled in the package, or installed next to the binding. */
  readonly installed: boolean
  /** Why it is not installed. */
  readonly reason?: string
  /** A session could be created with it and ran (providers.ts): the only proof a provider works here. */
  readonly usable: boolean
  /** The session's error when it is not usable. */
  readonly error?: string
}

export interface RuntimeInfo {
  readonly node: string
  readonly platform: string
  readonly onnxruntime: string
  readonly providers: readonly ProviderInfo[]
}

/** The binding folder that holds libonnxruntime and any provider libraries the installer downloaded. */
function bindingDir(): string {
  const root = dirname(require.resolve('onnxruntime-node/package.json'))
  return join(root, 'bin', 'napi-v6', platform(), arch())
}

function nvidiaDriver(): boolean {
  return existsSync('/proc/driver/nvidia/version') || existsSync('/dev/nvidiactl')
}

/** Why a provider that is not bundled cannot run here. */
function cudaReason(name: string, libs: readonly string[]): string | undefined {
  const lib = libs.find((f) => f.startsWith(`libonnxruntime_providers_${name}`))
  const driver = nvidiaDriver()
  if (lib !== undefined && driver) return undefined
  const parts: string[] = []
  if (lib === undefined)
    parts.push(`its libraries were not installed (onnxruntime-node's CUDA download is not made at install; add it with: ${cudaInstallCommand()})`)
  if (!driver) parts.push('no NVIDIA driver found (/proc/driver/nvidia/version)')
  return parts.join('; ')
}

export async function runtimeInfo(): Promise<RuntimeInfo> {
  const ort = (await import('onnxruntime-node')) as unknown as {listSupportedBackends?: () => {name: string; bundled: boolean}[]}
  const version = (JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as {version: string}).version
  const dir = bindingDir()
  const libs = existsSync(dir) ? readdirSync(dir) : []
  const backends = ort.listSupportedBackends?.() ?? [{name: 'cpu', bundled: true}]
  const providers = await Promise.all(
    backends.map(async ({name, bundled}): Promise<ProviderInfo> => {
      const reason = bundled ? undefined : name === 'cuda' || name === 'tensorrt' ? cudaReason(name, libs) : 'not bundled in the npm package'
      const probe = await probeProvider(name)
      return {name, installed: reason === undefined, ...(reason === undefined ? {} : {reason}), ...probe}
    }),
  )
  return {node: process.version, platform: `${platform()}-${arch()}`, onnxruntime: version, providers}
}
