import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {stopsWithParent} from '../../src/process/orphan.js'
import {fixture, repoRoot} from '../helpers/fixtures.js'

test('dpt stops with its parent when npm started it or when it is the respawned child, not when a shell did', () => {
  assert.equal(stopsWithParent({npm_command: 'exec'}), true, 'npx dpt')
  assert.equal(stopsWithParent({npm_command: 'run-script'}), true, 'npm run')
  assert.equal(stopsWithParent({DPT_RESPAWNED: '1'}), true, 'the MALLOC_ARENA_MAX child')
  assert.equal(stopsWithParent({}), false, 'nohup dpt … & outlives its shell')
})

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

test('a depth run whose npm parent is killed without passing the signal on stops, respawned child included', {skip: process.platform !== 'linux'}, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dpt-orphan-'))
  let npm: ChildProcess | undefined
  try {
    const images = join(tmp, 'imgs')
    mkdirSync(images)
    for (let i = 0; i < 400; i++) copyFileSync(fixture('images', 'chelsea-120x160.png'), join(images, `${i}.png`))
    const out = join(tmp, 'out')
    // Stands for npm exec: starts dpt with npm's variable and then dies by SIGKILL, passing nothing on.
    const script = `require('child_process').spawn(process.execPath, ${JSON.stringify([join(repoRoot, 'bin', 'run.js'), 'depth', images, '-o', out, '--model', fixture('models', 'dpt-hybrid-tiny')])}, {stdio: 'ignore', env: {...process.env, npm_command: 'exec'}}); setInterval(() => {}, 1000)`
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'MALLOC_ARENA_MAX' && key !== 'DPT_NO_RESPAWN'))
    npm = spawn(process.execPath, ['-e', script], {stdio: 'ignore', env})
    const writtenSoFar = (): number => (existsSync(out) ? readdirSync(out).length : 0)
    for (let t = 0; t < 600 && writtenSoFar() === 0; t++) await sleep(50)
    const dpt = (): number[] => processesNaming(out).filter((pid) => pid !== npm?.pid)
    assert.equal(dpt().length, 2, 'dpt and its respawned child are running')
    npm.kill('SIGKILL')
    for (let t = 0; t < 100 && dpt().length > 0; t++) await sleep(100)
    assert.deepEqual(dpt(), [], 'both stopped within 10 s')
    const written = readdirSync(out)
    assert.ok(written.length < 400, `stopped before the end (${written.length} of 400 written)`)
    assert.ok(
      written.every((f) => f.endsWith('.png')),
      'no temporary file left',
    )
  } finally {
    npm?.kill('SIGKILL')
    for (const pid of processesNaming(tmp)) process.kill(pid, 'SIGKILL')
    rmSync(tmp, {recursive: true, force: true})
  }
})
