import {Agent, EnvHttpProxyAgent, errors, request, type Dispatcher} from 'undici'
import {DptError, ExitCode} from '../pipeline/errors.js'

/**
 * HTTP to the model hub. Node's global fetch ignores HTTP(S)_PROXY / NO_PROXY, so when one is set requests go
 * through undici's EnvHttpProxyAgent, which honours them (NO_PROXY included). Redirects are followed by hand: the hub's answer to a resolve URL
 * carries the file's hash (X-Linked-Etag) on the redirect itself, and the token must not follow it to a CDN
 * on another host.
 */
export interface HubSettings {
  /** HF_ENDPOINT without trailing slash (default https://huggingface.co). */
  readonly endpoint: string
  /** HF_TOKEN, sent to the endpoint's origin only. */
  readonly token: string | undefined
  /** No byte (or no headers) for this long: the attempt fails and is retried from where it stopped. */
  readonly idleTimeoutMs: number
  /** Attempts per file for failures worth retrying (dropped connections, stalls, 5xx). */
  readonly attempts: number
  /** First pause between attempts; doubles after each. */
  readonly retryDelayMs: number
  /** HF_HUB_OFFLINE set (as huggingface_hub reads it): no downloads, like --offline / DPT_OFFLINE. */
  readonly offline?: boolean
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co'

/** Settings from the environment: HF_ENDPOINT, HF_TOKEN, DPT_HTTP_TIMEOUT (seconds of silence, default 30). */
export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const seconds = env.DPT_HTTP_TIMEOUT === undefined || env.DPT_HTTP_TIMEOUT === '' ? 30 : Number(env.DPT_HTTP_TIMEOUT)
  if (!(seconds > 0)) throw new DptError(`Expected DPT_HTTP_TIMEOUT to be a positive number of seconds, got \`${env.DPT_HTTP_TIMEOUT}\``)
  const endpoint = (env.HF_ENDPOINT === undefined || env.HF_ENDPOINT === '' ? DEFAULT_ENDPOINT : env.HF_ENDPOINT).replace(/\/+$/, '')
  const token = env.HF_TOKEN === undefined || env.HF_TOKEN === '' ? undefined : env.HF_TOKEN
  return {endpoint, token, idleTimeoutMs: Math.round(seconds * 1000), attempts: 5, retryDelayMs: 500, offline: envFlag(env.HF_HUB_OFFLINE)}
}

/** A boolean environment variable as huggingface_hub reads its flags: 1, true, yes or on (any case). */
const envFlag = (value: string | undefined): boolean => ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase())

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

/** undici 6 flags EnvHttpProxyAgent as experimental with a process warning; users with a proxy need no such noise. */
function quietEnvProxyAgent(options: EnvHttpProxyAgent.Options): Dispatcher {
  const emit = process.emitWarning.bind(process)
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    const code = (rest[0] as {code?: string} | undefined)?.code
    if (code !== 'UNDICI-EHPA') (emit as (...args: unknown[]) => void)(warning, ...rest)
  }
  try {
    return new EnvHttpProxyAgent(options)
  } finally {
    process.emitWarning = emit
  }
}

let agent: {dispatcher: Dispatcher; timeout: number} | undefined
function dispatcherFor(settings: HubSettings): Dispatcher {
  if (agent?.timeout !== settings.idleTimeoutMs) {
    const t = settings.idleTimeoutMs
    const options = {connectTimeout: t, headersTimeout: t, bodyTimeout: t}
    const proxied = PROXY_VARIABLES.some((v) => (process.env[v] ?? '') !== '')
    agent = {dispatcher: proxied ? quietEnvProxyAgent(options) : new Agent(options), timeout: t}
  }
  return agent.dispatcher
}

export interface HubResponse {
  readonly url: string
  readonly status: number
  readonly headers: Record<string, string | undefined>
  readonly body: Dispatcher.ResponseData['body']
}

/** A failure worth another attempt: the connection dropped or stalled, or the server had a 5xx moment. */
export class TransientError extends Error {}

/** Errors of the connection itself (not an HTTP status): refused, unknown host, timeout, reset. */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof errors.UndiciError) return true
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_\w+)$/.test(code)
}

/** Refused / unknown host / unreachable: retrying at once will not help, the user has to act. */
function isUnreachable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ''
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)
}

export function unreachableError(url: string, cause: unknown): DptError {
  const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message
  return new DptError(`Could not reach the model hub at ${url} (${reason})`, {
    exitCode: ExitCode.model,
    cause,
    remedy:
      'Check the network connection and proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) or HF_ENDPOINT; ' +
      'or pass --model a local model folder; or run with --offline (DPT_OFFLINE=1) using a model already in the cache (dpt models list).',
  })
}

/** One request, no redirect following; header names lower-case. Network failures become DptError or TransientError. */
export async function hubRequest(settings: HubSettings, method: 'GET' | 'HEAD', url: string, extra: Record<string, string> = {}): Promise<HubResponse> {
  const headers: Record<string, string> = {'user-agent': 'dpt', 'accept-encoding': 'identity', ...extra}
  if (settings.token !== undefined && new URL(url).origin === new URL(settings.endpoint).origin) headers.authorization = `Bearer ${settings.token}`
  try {
    const response = await request(url, {method, headers, dispatcher: dispatcherFor(settings)})
    // A body that fails before anyone reads it must not crash the process; its reader still sees the error.
    response.body.on('error', () => undefined)
    const flat: Record<string, string | undefined> = {}
    for (const [name, value] of Object.entries(response.headers)) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    return {url, status: response.statusCode, headers: flat, body: response.body}
  } catch (error) {
    if (isUnreachable(error)) throw unreachableError(url, error)
    if (isNetworkError(error)) throw new TransientError(`${url}: ${(error as Error).message}`, {cause: error})
    throw error
  }
}

/** A non-2xx/3xx answer as an error the user can act on; 5xx are transient. */
export function statusError(settings: HubSettings, response: HubResponse, what: {repo: string; revision: string; path: string}): Error {
  const code = response.headers['x-error-code']
  const message = response.headers['x-error-message']
  const detail = [code, message].filter((s) => s !== undefined).join(': ')
  const head = `${response.url} answered ${response.status}${detail === '' ? '' : ` (${detail})`}`
  if (response.status >= 500 || response.status === 429) return new TransientError(head)
  if (response.status === 401 || response.status === 403) {
    return new DptError(`Not authorised to download ${what.path} from ${what.repo}: ${head}`, {
      exitCode: ExitCode.model,
      remedy:
        settings.token === undefined
          ? `Private or gated repository: set HF_TOKEN to an access token that can read ${what.repo} (for a gated model, accept its terms on the hub first).`
          : `HF_TOKEN was sent but cannot read ${what.repo}: check the token's access, and accept a gated model's terms on the hub.`,
    })
  }
  if (response.status === 404) {
    const which =
      code === 'RepoNotFound'
        ? `repository ${what.repo} does not exist on ${settings.endpoint}`
        : code === 'RevisionNotFound'
          ? `${what.repo} has no revision ${what.revision}`
          : `${what.repo} has no file ${what.path} at revision ${what.revision}`
    return new DptError(`Not found: ${which} (${head})`, {
      exitCode: ExitCode.model,
      remedy: 'Check the registry entry (dpt models info ID, DPT_REGISTRY) and HF_ENDPOINT.',
    })
  }
  return new DptError(`Download failed: ${head}`, {exitCode: ExitCode.model})
}
