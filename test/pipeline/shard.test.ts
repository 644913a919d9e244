import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {DptError, ExitCode} from '../../src/pipeline/errors.js'
import {parseShard, takeShard, type Shard} from '../../src/pipeline/shard.js'

/** The shard each task of a Slurm array takes, with the variables sbatch sets for `--array=MIN-MAX:STEP`. */
function slurmArray(min: number, max: number, step: number, count: number): number[] {
  const ids: number[] = []
  for (let id = min; id <= max; id += step) ids.push(id)
  const env = {SLURM_ARRAY_TASK_MIN: `${min}`, SLURM_ARRAY_TASK_MAX: `${max}`, SLURM_ARRAY_TASK_STEP: `${step}`, SLURM_ARRAY_TASK_COUNT: `${ids.length}`}
  return ids.map((id) => parseShard(`auto/${count}`, {...env, SLURM_ARRAY_TASK_ID: `${id}`}).index)
}

/** The message of the usage error `run` throws. */
function usageError(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof DptError && error.exitCode === ExitCode.usage, String(error))
    return error.message
  }
  assert.fail('no error')
}

describe('--shard', () => {
  it('i/n: 1 ≤ i ≤ n, anything else a usage error', () => {
    assert.deepEqual(parseShard('3/4', {}), {index: 3, count: 4})
    assert.match(
      usageError(() => parseShard('5/4', {})),
      /Shard index 5 is outside 1\.\.4/,
    )
    assert.match(
      usageError(() => parseShard('0/4', {})),
      /outside 1\.\.4/,
    )
    assert.match(
      usageError(() => parseShard('1-4', {})),
      /Expected --shard to be i\/n or auto\/n, got `1-4`/,
    )
    assert.match(
      usageError(() => parseShard('1/0', {})),
      /Expected --shard/,
    )
  })

  it('auto/n in a Kubernetes Indexed Job: JOB_COMPLETION_INDEX + 1, an index past n refused', () => {
    assert.deepEqual(parseShard('auto/4', {JOB_COMPLETION_INDEX: '0'}), {index: 1, count: 4})
    assert.deepEqual(parseShard('auto/4', {JOB_COMPLETION_INDEX: '3'}), {index: 4, count: 4})
    assert.match(
      usageError(() => parseShard('auto/4', {JOB_COMPLETION_INDEX: '4'})),
      /Shard index 5 is outside 1\.\.4/,
    )
    assert.deepEqual(parseShard('auto/4', {JOB_COMPLETION_INDEX: '2', SLURM_ARRAY_TASK_ID: '0'}), {index: 3, count: 4}, 'Kubernetes first')
  })

  it('auto/n without either variable, or with a value that is not a task number, is a usage error', () => {
    assert.match(
      usageError(() => parseShard('auto/4', {})),
      /needs JOB_COMPLETION_INDEX .* or SLURM_ARRAY_TASK_ID/,
    )
    assert.match(
      usageError(() => parseShard('auto/4', {SLURM_ARRAY_TASK_ID: '-1'})),
      /SLURM_ARRAY_TASK_ID is `-1`, not a task number/,
    )
    assert.match(
      usageError(() => parseShard('auto/4', {JOB_COMPLETION_INDEX: 'x'})),
      /not a task number/,
    )
  })

  it('auto/n in a Slurm array: (task id mod n) + 1, whether the array counts from 0 or from 1', () => {
    assert.deepEqual(slurmArray(0, 3, 1, 4), [1, 2, 3, 4])
    assert.deepEqual(slurmArray(1, 4, 1, 4), [2, 3, 4, 1])
    assert.deepEqual(slurmArray(8, 11, 1, 4), [1, 2, 3, 4], 'any n consecutive ids')
  })

  it('a task resubmitted alone takes the shard it had in the array', () => {
    const inArray = slurmArray(0, 7, 1, 8)
    const alone = [0, 1, 2, 3, 4, 5, 6, 7].map((id) => slurmArray(id, id, 1, 8)[0])
    assert.deepEqual(alone, inArray)
    assert.deepEqual(slurmArray(2, 2, 1, 8), [3], 'sbatch --array=2 runs shard 3, as task 2 did')
    assert.deepEqual(parseShard('auto/8', {SLURM_ARRAY_TASK_ID: '2'}), {index: 3, count: 8}, 'without the array variables too')
  })

  it('step ranges and lists run the shards of their ids', () => {
    assert.deepEqual(slurmArray(0, 6, 2, 8), [1, 3, 5, 7])
    assert.deepEqual(slurmArray(1, 7, 2, 8), [2, 4, 6, 8], 'the other half')
    assert.deepEqual(slurmArray(0, 9, 3, 4), [1, 4, 3, 2], 'a step prime to n covers every shard')
    // --array=2,5: sbatch gives no step that describes a list; each id still gets its shard.
    const list = {SLURM_ARRAY_TASK_MIN: '2', SLURM_ARRAY_TASK_MAX: '5', SLURM_ARRAY_TASK_STEP: '1', SLURM_ARRAY_TASK_COUNT: '2'}
    assert.deepEqual(parseShard('auto/8', {...list, SLURM_ARRAY_TASK_ID: '5'}), {index: 6, count: 8})
  })

  it('an array in which two tasks would take the same shard is refused', () => {
    assert.match(
      usageError(() => slurmArray(0, 7, 1, 4)),
      /Two tasks of this Slurm array would take the same shard of 4: it has 8 tasks/,
    )
    assert.match(
      usageError(() => slurmArray(0, 6, 2, 4)),
      /same shard of 4: ids 0 and 4 of --array=0-6:2/,
    )
    assert.match(
      usageError(() => slurmArray(1, 8, 1, 4)),
      /it has 8 tasks/,
    )
  })

  it('the shards of a full run are disjoint and cover every item', () => {
    const items = Array.from({length: 11}, (_, i) => i)
    const shards = slurmArray(1, 4, 1, 4).map((index): Shard => ({index, count: 4}))
    const taken = shards.map((s) => takeShard(items, s))
    assert.deepEqual(
      taken.flat().sort((a, b) => a - b),
      items,
    )
    assert.deepEqual(takeShard(items, {index: 2, count: 4}), [1, 5, 9])
  })
})
