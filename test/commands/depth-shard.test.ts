/** `dpt depth --shard` in indexed jobs: auto/n from the scheduler's variables, and global normalisation refused. */
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import type {RunResult} from '../../src/pipeline/images.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

const MODEL = fixture('models', 'channel-mean')
const IMAGES = ['chelsea-120x160.png', 'coffee-160x120.png', 'tiny-1x1.png'].map((f) => fixture('images', f))
/** oclif wraps error text at the terminal width: compare it as one line. */
const oneLine = (text: string): string => text.replace(/\n ›\s+/g, ' ').replace(/\s+/g, ' ')

describe('dpt depth --shard in indexed jobs', () => {
  const root = mkdtempSync(join(tmpdir(), 'dpt-depth-shard-'))

  it('auto/n: the Slurm task id (mod n) + 1 and the Kubernetes index + 1 pick the same files as i/n', async () => {
    const names = async (shard: string, env: NodeJS.ProcessEnv, out: string): Promise<string[]> => {
      const r = await runCli(['depth', ...IMAGES, '-o', join(root, out), '--model', MODEL, '--shard', shard, '--json'], {env})
      assert.equal(r.code, 0, r.stderr)
      return (JSON.parse(r.stdout) as RunResult).images.map((i) => i.input.split('/').pop() ?? '')
    }
    const explicit = await names('2/2', {}, 'explicit')
    assert.deepEqual(explicit, ['coffee-160x120.png'])
    assert.deepEqual(await names('auto/2', {SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '1'}, 'slurm'), explicit)
    assert.deepEqual(await names('auto/2', {JOB_COMPLETION_INDEX: '1'}, 'k8s'), explicit)
  })

  it('--normalize global with --shard is a usage error naming --range, before any work', async () => {
    const out = join(root, 'global')
    const r = await runCli(['depth', ...IMAGES, '-o', out, '--model', MODEL, '--normalize', 'global', '--shard', '1/2'])
    assert.equal(r.code, 2)
    assert.match(oneLine(r.stderr), /--normalize global needs the whole run's min\/max, and --shard 1\/2 sees only part of it/)
    assert.match(oneLine(r.stderr), /--range MIN,MAX/)
    assert.throws(() => readdirSync(out), /ENOENT/)
  })
})
