import assert from 'node:assert/strict'
import {homedir, platform} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'
import {cacheDir, cachePaths, modelDir} from '../../src/hub/cache.js'
import {hubSettings} from '../../src/hub/http.js'

describe('cache location and hub settings', () => {
  it('DPT_CACHE wins, else the platform cache directory', () => {
    assert.equal(cacheDir({DPT_CACHE: 'rel/cache'}), resolve('rel/cache'))
    if (platform() === 'linux') {
      assert.equal(cacheDir({XDG_CACHE_HOME: '/x/cache'}), '/x/cache/dpt')
      assert.equal(cacheDir({}), join(homedir(), '.cache', 'dpt'))
    }
  })

  it('model ids never escape the cache', () => {
    const paths = cachePaths('/c')
    assert.equal(modelDir(paths, 'dpt-hybrid'), '/c/models/dpt-hybrid')
    for (const id of ['../etc', 'a/b', '..', 'a..b', 'Upper', '.hidden', '']) assert.throws(() => modelDir(paths, id), /Expected a model id/, id)
  })

  it('hub settings from the environment', () => {
    assert.deepEqual(hubSettings({}), {
      endpoint: 'https://huggingface.co',
      token: undefined,
      idleTimeoutMs: 30_000,
      attempts: 5,
      retryDelayMs: 500,
      offline: false,
    })
    assert.deepEqual(hubSettings({HF_ENDPOINT: 'https://mirror.example/', HF_TOKEN: 't', DPT_HTTP_TIMEOUT: '2.5'}), {
      endpoint: 'https://mirror.example',
      token: 't',
      idleTimeoutMs: 2500,
      attempts: 5,
      retryDelayMs: 500,
      offline: false,
    })
    assert.throws(() => hubSettings({DPT_HTTP_TIMEOUT: '0'}), /Expected DPT_HTTP_TIMEOUT to be a positive number of seconds, got `0`/)
  })
})
