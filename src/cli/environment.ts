import {PROVIDERS, type Provider} from '../pipeline/infer/providers.js'
import {invalidEnv} from './invalid.js'

/**
 * Defaults from DPT_* environment variables, read once at the edge (the base command) and validated like flags.
 * A flag given on the command line always wins. README's "Environment variables" table lists them all.
 */
export interface EnvDefaults {
  /** DPT_MODEL: --model of every command that runs a model (depth, segment, bench, eval without --predictions). */
  readonly model: string | undefined
  /** DPT_PROVIDER: --provider. */
  readonly provider: Provider | undefined
  /** DPT_THREADS: --threads. */
  readonly threads: number | undefined
  /** DPT_WORKERS: --workers. */
  readonly workers: number | undefined
  /** DPT_STRICT_PROVIDER=1: --strict-provider (never fall back to cpu). */
  readonly strictProvider: boolean
  /** DPT_PROGRESS_INTERVAL: --progress-interval, seconds between progress lines without a terminal. */
  readonly progressInterval: number | undefined
}

const set = (value: string | undefined): value is string => value !== undefined && value !== ''

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name]
  if (!set(value)) return undefined
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw invalidEnv(name, 'a positive integer', value)
  return Number(value)
}

/** 1/true/yes/on and 0/false/no/off, as most tools read a switch from the environment. */
export function envSwitch(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name]
  if (!set(value)) return false
  const v = value.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(v)) return true
  if (['0', 'false', 'no', 'off'].includes(v)) return false
  throw invalidEnv(name, '1 or 0 (true/false, yes/no, on/off)', value)
}

export function envDefaults(env: NodeJS.ProcessEnv): EnvDefaults {
  const provider = env.DPT_PROVIDER
  if (set(provider) && !(PROVIDERS as readonly string[]).includes(provider)) throw invalidEnv('DPT_PROVIDER', `one of ${PROVIDERS.join(', ')}`, provider)
  const interval = env.DPT_PROGRESS_INTERVAL
  if (set(interval) && !(Number(interval) >= 0)) throw invalidEnv('DPT_PROGRESS_INTERVAL', 'a number of seconds (0: no progress lines)', interval)
  return {
    model: set(env.DPT_MODEL) ? env.DPT_MODEL : undefined,
    provider: set(provider) ? (provider as Provider) : undefined,
    threads: positiveInteger(env, 'DPT_THREADS'),
    workers: positiveInteger(env, 'DPT_WORKERS'),
    strictProvider: envSwitch(env, 'DPT_STRICT_PROVIDER'),
    progressInterval: set(interval) ? Number(interval) : undefined,
  }
}
