import assert from 'node:assert/strict'
import {test} from 'node:test'
import {shouldRespawn} from '../../src/process/respawn.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

test('respawn with MALLOC_ARENA_MAX: image commands on glibc Linux only, never over a user choice', () => {
  const yes = (): boolean => true
  const no = (): boolean => false
  assert.equal(shouldRespawn('linux', {}, ['depth', 'imgs'], yes), true)
  assert.equal(shouldRespawn('linux', {}, ['segment'], yes), true)
  assert.equal(shouldRespawn('linux', {}, ['bench'], yes), true)
  assert.equal(shouldRespawn('linux', {}, ['eval'], yes), true)
  assert.equal(shouldRespawn('linux', {}, ['models', 'list'], yes), false)
  assert.equal(shouldRespawn('linux', {}, [], yes), false)
  assert.equal(shouldRespawn('linux', {}, ['depth'], no), false, 'musl')
  assert.equal(shouldRespawn('darwin', {}, ['depth'], yes), false)
  assert.equal(shouldRespawn('linux', {MALLOC_ARENA_MAX: '8'}, ['depth'], yes), false)
  assert.equal(shouldRespawn('linux', {DPT_NO_RESPAWN: '1'}, ['depth'], yes), false)
})

test('the respawned run passes exit codes through, with and without the second process', async () => {
  const args = ['depth', fixture('images', 'does-not-exist'), '-o', '/tmp/dpt-respawn-none', '--model', fixture('models', 'dpt-hybrid-tiny')]
  const respawned = await runCli(args)
  const direct = await runCli(args, {env: {DPT_NO_RESPAWN: '1'}})
  assert.equal(respawned.code, 5, respawned.stderr)
  assert.equal(direct.code, 5, direct.stderr)
  assert.equal(respawned.stderr, direct.stderr)
})
