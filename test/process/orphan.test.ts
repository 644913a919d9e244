import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {lifelines} from '../../src/process/orphan.js'
import {fixture, repoRoot} from '../helpers/fixtures.js'

/** Pids of the processes whose command line names `marker` (Linux /proc). */
function processesNaming(marker: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(join('/proc', entry, 'cmdline'), 'latin1').includes(marker)) pids.push(Number(entry))
    } catch {
      // the process ended while the list was read
    }
  }
  return pids
}

type Start = (dptArgs: string[], env: NodeJS.ProcessEnv) => {holder: ChildProcess; dpt?: ChildProcess}

/**
 * Runs `dpt depth` over 400 images beside a holder process (standing for npm, or a Slurm batch script), SIGKILLs
 * the holder once the first output is written (so it passes nothing on) and checks that dpt and its respawned
 * child stop within 10 s, before the end, leaving no temporary file.
 */
async function stopsWhenHolderDies(start: Start): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'dpt-orphan-'))
  let started: ReturnType<Start> | undefined
  try {
    const images = join(tmp, 'imgs')
    mkdirSync(images)
    for (let i = 0; i < 400; i++) copyFileSync(fixture('images', 'chelsea-120x160.png'), join(images, `${i}.png`))
    const out = join(tmp, 'out')
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(MALLOC_ARENA_MAX|DPT_NO_RESPAWN|npm_command|SLURM_TASK_PID)$/.test(key)))
    started = start([join(repoRoot, 'bin', 'run.js'), 'depth', images, '-o', out, '--model', fixture('models', 'dpt-hybrid-tiny')], env)
    const holder = started.holder
    const dpt = (): number[] => processesNaming(out).filter((pid) => pid !== holder.pid)
    for (let t = 0; t < 600 && (existsSync(out) ? readdirSync(out).length : 0) === 0; t++) await sleep(50)
    assert.equal(dpt().length, 2, 'dpt and its respawned child are running')
    holder.kill('SIGKILL')
    for (let t = 0; t < 100 && dpt().length > 0; t++) await sleep(100)
    assert.deepEqual(dpt(), [], 'both stopped within 10 s')
    const written = readdirSync(out)
    assert.ok(written.length < 400, `stopped before the end (${written.length} of 400 written)`)
    assert.ok(
      written.every((f) => f.endsWith('.png')),
      'no temporary file left',
    )
  } finally {
    started?.holder.kill('SIGKILL')
    started?.dpt?.kill('SIGKILL')
    for (const pid of processesNaming(tmp)) process.kill(pid, 'SIGKILL')
    rmSync(tmp, {recursive: true, force: true})
  }
}

describe('dpt stops when the job it ran for is gone', () => {
  it('lifelines: the parent under npm and in the respawned child, the Slurm task process in a Slurm job, else none', () => {
    const self = {pid: 200, ppid: 100}
    assert.deepEqual(lifelines({npm_command: 'exec'}, self), {parent: 100}, 'npx dpt')
    assert.deepEqual(lifelines({DPT_RESPAWNED: '1'}, self), {parent: 100}, 'the MALLOC_ARENA_MAX child')
    assert.deepEqual(lifelines({SLURM_TASK_PID: '50'}, self), {process: 50}, 'the batch script')
    assert.deepEqual(lifelines({SLURM_TASK_PID: '50', npm_command: 'exec'}, self), {parent: 100, process: 50}, 'npx dpt in a batch script')
    assert.deepEqual(lifelines({SLURM_TASK_PID: '200'}, self), {}, 'srun dpt: dpt is the task')
    assert.deepEqual(lifelines({}, self), {}, 'nohup dpt … & outlives its shell')
  })

  it('under npx: npm killed without passing the signal on', {skip: process.platform !== 'linux'}, async () => {
    await stopsWhenHolderDies((args, env) => {
      const script = `require('child_process').spawn(process.execPath, ${JSON.stringify(args)}, {stdio: 'ignore', env: {...process.env, npm_command: 'exec'}}); setInterval(() => {}, 1000)`
      return {holder: spawn(process.execPath, ['-e', script], {stdio: 'ignore', env})}
    })
  })

  it('in a Slurm job: the batch script ended by scancel while dpt, not tracked, runs on', {skip: process.platform !== 'linux'}, async () => {
    await stopsWhenHolderDies((args, env) => {
      const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore', env})
      return {holder, dpt: spawn(process.execPath, args, {stdio: 'ignore', env: {...env, SLURM_TASK_PID: String(holder.pid)}})}
    })
  })
})
