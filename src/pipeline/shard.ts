import {DptError} from './errors.js'

/** Shard `index` of `count` (1-based): every count-th item of a sorted list, starting at index − 1. */
export interface Shard {
  readonly index: number
  readonly count: number
}

/** The items of one shard, in their order; all of them without a shard. The same rule for files and dataset samples. */
export function takeShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  return shard === undefined ? [...items] : items.filter((_, i) => i % shard.count === shard.index - 1)
}

/**
 * Parses `--shard i/n` (1 ≤ i ≤ n) and, where `auto` is allowed, `auto/n`: the index then comes from a
 * Kubernetes Indexed Job's JOB_COMPLETION_INDEX or a Slurm array's SLURM_ARRAY_TASK_ID.
 */
export function parseShard(value: string, options: {readonly auto: boolean; readonly env: NodeJS.ProcessEnv}): Shard {
  const match = (options.auto ? /^(\d+|auto)\/(\d+)$/ : /^(\d+)\/(\d+)$/).exec(value)
  const count = Number(match?.[2])
  if (!options.auto) {
    const index = Number(match?.[1])
    if (match === null || count < 1 || index < 1 || index > count) {
      throw new DptError(`Expected --shard to be i/n with 1 ≤ i ≤ n, got \`${value}\``, {remedy: 'For 4 machines use --shard 1/4 … --shard 4/4.'})
    }
    return {index, count}
  }
  if (match === null || !(count >= 1)) {
    throw new DptError(`Expected --shard to be i/n or auto/n, got \`${value}\``, {
      remedy: 'For 4 machines use --shard 1/4 … --shard 4/4, or --shard auto/4 in an indexed job.',
    })
  }
  const index = match[1] === 'auto' ? autoIndex(options.env) : Number(match[1])
  if (!Number.isInteger(index) || index < 1 || index > count) {
    throw new DptError(`Shard index ${index} is outside 1..${count} (--shard ${value})`, {
      remedy: `Run ${count} shards, or match --shard auto/n to the job's completions / array size.`,
    })
  }
  return {index, count}
}

function autoIndex(env: NodeJS.ProcessEnv): number {
  const k8s = env.JOB_COMPLETION_INDEX
  const slurm = env.SLURM_ARRAY_TASK_ID
  if (k8s !== undefined && k8s !== '') return Number(k8s) + 1
  if (slurm !== undefined && slurm !== '') return Number(slurm) - Number(env.SLURM_ARRAY_TASK_MIN ?? 0) + 1
  throw new DptError('--shard auto/n needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array), and neither is set', {
    remedy: 'Run inside an Indexed Job / job array, or give the shard explicitly: --shard i/n.',
  })
}
