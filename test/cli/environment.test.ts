/**
 * DPT_* defaults: read once, validated like flags (a bad value names the variable), a typed flag always wins.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {envDefaults, envSwitch} from '../../src/cli/environment.js'
import {withEnvDefaults} from '../../src/flags.js'
import {DptError, ExitCode} from '../../src/pipeline/errors.js'

const usage = (pattern: RegExp) => (e: unknown) => e instanceof DptError && e.exitCode === ExitCode.usage && pattern.test(e.message)

describe('DPT_* environment variables', () => {
  it('give model, provider, threads, workers, strict mode and the progress interval', () => {
    assert.deepEqual(
      envDefaults({
        DPT_MODEL: 'dpt-large',
        DPT_PROVIDER: 'cuda',
        DPT_THREADS: '3',
        DPT_WORKERS: '2',
        DPT_STRICT_PROVIDER: 'yes',
        DPT_PROGRESS_INTERVAL: '2.5',
      }),
      {model: 'dpt-large', provider: 'cuda', threads: 3, workers: 2, strictProvider: true, progressInterval: 2.5},
    )
    // Unset and empty are the same: no default.
    assert.deepEqual(envDefaults({DPT_MODEL: '', DPT_THREADS: ''}), {
      model: undefined,
      provider: undefined,
      threads: undefined,
      workers: undefined,
      strictProvider: false,
      progressInterval: undefined,
    })
  })

  it('refuse bad values with the variable named (a usage error)', () => {
    assert.throws(() => envDefaults({DPT_THREADS: '0'}), usage(/Expected DPT_THREADS to be a positive integer, got `0`/))
    assert.throws(() => envDefaults({DPT_WORKERS: '1.5'}), usage(/DPT_WORKERS/))
    assert.throws(() => envDefaults({DPT_PROVIDER: 'gpu'}), usage(/Expected DPT_PROVIDER to be one of cpu, cuda/))
    assert.throws(() => envDefaults({DPT_PROGRESS_INTERVAL: 'often'}), usage(/DPT_PROGRESS_INTERVAL/))
    assert.throws(() => envSwitch({DPT_STRICT_PROVIDER: 'maybe'}, 'DPT_STRICT_PROVIDER'), usage(/DPT_STRICT_PROVIDER to be 1 or 0/))
    assert.equal(envSwitch({X: 'off'}, 'X'), false)
  })

  it('lose to a flag typed on the command line', () => {
    const env = envDefaults({
      DPT_MODEL: 'env-model',
      DPT_PROVIDER: 'cuda',
      DPT_THREADS: '3',
      DPT_WORKERS: '2',
      DPT_STRICT_PROVIDER: '1',
      DPT_PROGRESS_INTERVAL: '9',
    })
    const typed = {model: 'flag-model', provider: 'cpu' as const, threads: 1, workers: undefined, 'strict-provider': false, 'progress-interval': undefined}
    assert.deepEqual(withEnvDefaults(typed, env), {
      model: 'flag-model',
      provider: 'cpu',
      threads: 1,
      workers: 2,
      'strict-provider': false,
      'progress-interval': 9,
    })
  })
})
