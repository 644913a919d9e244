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

const USAGE = 'For 4 machines use --shard 1/4 … --shard 4/4, or --shard auto/4 in a Kubernetes Indexed Job or a Slurm array.'

/** Parses `--shard i/n` (1 ≤ i ≤ n) or `auto/n`, the index then taken from the job's environment (`autoIndex`). */
export function parseShard(value: string, env: NodeJS.ProcessEnv): Shard {
  const match = /^(\d+|auto)\/(\d+)$/.exec(value)
  const count = Number(match?.[2])
  if (match === null || !(count >= 1)) throw new DptError(`Expected --shard to be i/n or auto/n, got \`${value}\``, {remedy: USAGE})
  const index = match[1] === 'auto' ? autoIndex(count, env) : Number(match[1])
  if (index < 1 || index > count) throw new DptError(`Shard index ${index} is outside 1..${count} (--shard ${value})`, {remedy: USAGE})
  return {index, count}
}

/**
 * The shard of this task, a function of the task's own id only, so that a task run again on its own (a failed
 * one resubmitted) takes the same shard:
 * - Kubernetes Indexed Job: JOB_COMPLETION_INDEX runs 0..completions−1; shard = index + 1.
 * - Slurm array: shard = (SLURM_ARRAY_TASK_ID mod n) + 1. Any n consecutive ids cover shards 1..n once, whether
 *   the array counts from 0 (`--array=0-7`, task k is shard k + 1) or from 1 (`--array=1-8`, task 8 is shard 1);
 *   `sbatch --array=K` runs task K's shard again. Step ranges and lists run the shards of their ids
 *   (`--array=0-6:2` with auto/8: shards 1, 3, 5, 7). An array in which two tasks would take the same shard is
 *   refused, since both would write the same outputs and some shard would be missing.
 */
function autoIndex(count: number, env: NodeJS.ProcessEnv): number {
  const k8s = taskNumber(env, 'JOB_COMPLETION_INDEX')
  if (k8s !== undefined) return k8s + 1
  const slurm = taskNumber(env, 'SLURM_ARRAY_TASK_ID')
  if (slurm === undefined) {
    throw new DptError('--shard auto/n needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array), and neither is set', {
      remedy: 'Run inside an Indexed Job / job array, or give the shard explicitly: --shard i/n.',
    })
  }
  const clash = slurmClash(count, env)
  if (clash !== undefined) {
    throw new DptError(`Two tasks of this Slurm array would take the same shard of ${count}: ${clash}`, {
      remedy: `Submit ${count} consecutive task ids for --shard auto/${count} (e.g. --array=0-${count - 1}), or resubmit only the failed ids.`,
    })
  }
  return (slurm % count) + 1
}

/** Why the array's ids (SLURM_ARRAY_TASK_COUNT, and MIN/MAX/STEP for a range) cannot all get shards of their own. */
function slurmClash(count: number, env: NodeJS.ProcessEnv): string | undefined {
  const tasks = taskNumber(env, 'SLURM_ARRAY_TASK_COUNT')
  if (tasks === undefined) return undefined
  if (tasks > count) return `it has ${tasks} tasks`
  const [min, max, step] = [taskNumber(env, 'SLURM_ARRAY_TASK_MIN'), taskNumber(env, 'SLURM_ARRAY_TASK_MAX'), taskNumber(env, 'SLURM_ARRAY_TASK_STEP')]
  // A list of ids gives no step that describes it; a range MIN-MAX:STEP repeats a shard every n / gcd(STEP, n) ids.
  if (min === undefined || max === undefined || step === undefined || step < 1 || (max - min) / step + 1 !== tasks) return undefined
  const period = count / gcd(step, count)
  return period < tasks ? `ids ${min} and ${min + period * step} of --array=${min}-${max}:${step}` : undefined
}

function taskNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]
  if (text === undefined || text === '') return undefined
  if (!/^\d+$/.test(text)) throw new DptError(`${name} is \`${text}\`, not a task number`, {remedy: 'Let the scheduler set it, or give --shard i/n.'})
  return Number(text)
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
