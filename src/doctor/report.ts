import {existsSync, readdirSync, statSync} from 'node:fs'
import {statfs} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {defaultThreads} from '../flags.js'
import {cachePaths, installedModels, manifestBytes, modelDir} from '../hub/cache.js'
import {checkInstalled, type InstalledCheck} from '../hub/check-installed.js'
import {hubSettings} from '../hub/http.js'
import {loadRegistry} from '../hub/registry.js'
import {cpuInfo, type CpuInfo} from './cpu.js'
import {runtimeInfo, type RuntimeInfo} from './runtime.js'

export interface DoctorReport {
  readonly runtime: RuntimeInfo
  readonly cpu: CpuInfo
  /** What `dpt depth` uses without --workers / --threads. */
  readonly threads: {readonly workers: number; readonly threadsPerWorker: number}
  readonly cache: {
    readonly dir: string
    readonly exists: boolean
    readonly freeBytes: number | null
    readonly installedBytes: number
    /** Interrupted downloads kept for resuming (downloads/*.part). */
    readonly partialBytes: number
  }
  readonly hub: {readonly endpoint: string; readonly token: boolean; readonly offline: boolean; readonly proxy: string | null}
  readonly registry: {readonly path: string; readonly models: number; readonly defaults: Record<string, string>}
  readonly models: readonly (InstalledCheck & {readonly bytes: number})[]
  /** One line per problem worth acting on. */
  readonly problems: readonly string[]
}

function partialBytes(downloads: string): number {
  if (!existsSync(downloads)) return 0
  return readdirSync(downloads)
    .filter((f) => f.endsWith('.part'))
    .reduce((sum, f) => sum + statSync(join(downloads, f)).size, 0)
}

/** Free bytes on the filesystem that holds (or will hold) the cache. */
async function freeBytes(dir: string): Promise<number | null> {
  let probe = dir
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe)
  try {
    const s = await statfs(probe)
    return s.bavail * s.bsize
  } catch {
    return null
  }
}

/** DPT_PROVIDER names a provider that cannot start here: every run would fall back to cpu (or fail, strictly). */
function requestedProviderProblems(runtime: RuntimeInfo, env: NodeJS.ProcessEnv): string[] {
  const wanted = env.DPT_PROVIDER
  if (wanted === undefined || wanted === '' || wanted === 'cpu') return []
  const provider = runtime.providers.find((p) => p.name === wanted)
  if (provider === undefined) return [`DPT_PROVIDER=${wanted}, but this onnxruntime build has no ${wanted} provider`]
  return provider.usable ? [] : [`DPT_PROVIDER=${wanted}, but ${wanted} is not usable here (${provider.error ?? 'no session'}): runs fall back to cpu`]
}

export async function doctorReport(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const paths = cachePaths()
  const registry = loadRegistry(env)
  const hub = hubSettings(env)
  const models = []
  for (const manifest of installedModels(paths)) {
    models.push({...(await checkInstalled(modelDir(paths, manifest.id), manifest)), bytes: manifestBytes(manifest)})
  }
  const runtime = await runtimeInfo()
  const problems = [
    ...models
      .filter((m) => m.status === 'damaged')
      .map(
        (m) =>
          `${m.id}: files differ from its manifest (${m.files
            .filter((f) => f.status !== 'ok')
            .map((f) => `${f.path} ${f.status}`)
            .join(', ')}); run \`dpt models rm ${m.id}\` and pull or import it again`,
      ),
    ...models.filter((m) => m.status === 'unverified').map((m) => `${m.id}: installed without a hash to verify it against`),
    ...requestedProviderProblems(runtime, env),
  ]
  const proxy = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].map((v) => env[v]).find((v) => v !== undefined && v !== '') ?? null
  return {
    runtime,
    cpu: cpuInfo(),
    threads: {workers: 1, threadsPerWorker: defaultThreads(1)},
    cache: {
      dir: paths.root,
      exists: existsSync(paths.root),
      freeBytes: await freeBytes(paths.root),
      installedBytes: models.reduce((s, m) => s + m.bytes, 0),
      partialBytes: partialBytes(paths.downloads),
    },
    hub: {
      endpoint: hub.endpoint,
      token: hub.token !== undefined,
      offline: ['1', 'true', 'yes', 'y'].includes((env.DPT_OFFLINE ?? '').toLowerCase()) || hub.offline === true,
      proxy: proxy === null ? null : proxy.replace(/\/\/[^@/]*@/, '//***@'),
    },
    registry: {path: registry.path, models: registry.models.length, defaults: {...registry.defaults}},
    models,
    problems,
  }
}
