/**
 * GPU requests on this CPU-only machine: without strict mode cuda falls back to cpu with the reason recorded; with
 * --strict-provider (or DPT_STRICT_PROVIDER=1) the run fails with exit code 4, the reason and a remedy, under --json
 * too. dpt doctor calls a provider usable only when a session of its probe model ran on it.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import type {DoctorResult} from '../../src/commands/doctor.js'
import {PROBE_DIMS, PROBE_INPUT, PROBE_OUTPUT, probeModel} from '../../src/doctor/probe-model.js'
import {shortError} from '../../src/doctor/providers.js'
import type {RunResult} from '../../src/pipeline/images.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

const MODEL = fixture('models', 'channel-mean')
const env = {DPT_NO_RESPAWN: '1'}
let root = ''

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-strict-'))
  mkdirSync(join(root, 'imgs'))
  await sharp({create: {width: 32, height: 24, channels: 3, background: {r: 1, g: 2, b: 3}}})
    .png()
    .toFile(join(root, 'imgs', 'a.png'))
})

describe('--strict-provider', () => {
  it('without it, an unavailable cuda falls back to cpu and says why', async () => {
    const r = await runCli(['depth', 'imgs', '-o', 'out-fallback', '--model', MODEL, '--provider', 'cuda', '--json'], {cwd: root, env})
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout) as RunResult
    assert.deepEqual([result.requestedProvider, result.executionProvider], ['cuda', 'cpu'])
    assert.match(result.providerFallbackReason ?? '', /execution provider cuda is unavailable/)
  })

  it('with it (flag or DPT_STRICT_PROVIDER=1), exit code 4 with the reason and remedy, with and without --json', async () => {
    const [flag, variable, json] = await Promise.all([
      runCli(['depth', 'imgs', '-o', 'out-strict', '--model', MODEL, '--provider', 'cuda', '--strict-provider'], {cwd: root, env}),
      runCli(['depth', 'imgs', '-o', 'out-strict', '--model', MODEL], {cwd: root, env: {...env, DPT_PROVIDER: 'cuda', DPT_STRICT_PROVIDER: '1'}}),
      runCli(['depth', 'imgs', '-o', 'out-strict', '--model', MODEL, '--provider', 'cuda', '--strict-provider', '--json'], {cwd: root, env}),
    ])
    for (const r of [flag, variable]) {
      assert.equal(r.code, 4, r.stderr)
      const text = r.stderr.replace(/\s*\n\s*›\s*/g, ' ')
      assert.match(text, /Execution provider cuda is unavailable \(.+\), and strict mode \(--strict-provider, DPT_STRICT_PROVIDER\) forbids running on cpu/)
      assert.match(text, /ONNXRUNTIME_NODE_INSTALL=cuda12/)
    }
    assert.equal(json.code, 4)
    assert.equal((JSON.parse(json.stdout) as {error: {oclif: {exit: number}}}).error.oclif.exit, 4)
  })

  it('--no-strict-provider turns DPT_STRICT_PROVIDER off for one run', async () => {
    const r = await runCli(['depth', 'imgs', '-o', 'out-nostrict', '--model', MODEL, '--no-strict-provider', '--json'], {
      cwd: root,
      env: {...env, DPT_PROVIDER: 'cuda', DPT_STRICT_PROVIDER: '1'},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.equal((JSON.parse(r.stdout) as RunResult).executionProvider, 'cpu')
  })
})

describe('dpt doctor', () => {
  it("the probe model runs (Relu of [-1, 2, -3, 4]) on onnxruntime's cpu provider", async () => {
    const session = await ort.InferenceSession.create(probeModel())
    const out = await session.run({[PROBE_INPUT]: new ort.Tensor('float32', Float32Array.from([-1, 2, -3, 4]), [...PROBE_DIMS])})
    assert.deepEqual(Array.from(out[PROBE_OUTPUT]?.data as Float32Array), [0, 2, 0, 4])
    await session.release()
  })

  it('calls a provider usable only when a session ran on it, and reports the error otherwise', async () => {
    const r = await runCli(['doctor', '--json'], {cwd: root, env: {...env, DPT_PROVIDER: 'cuda', DPT_CACHE: join(root, 'cache')}})
    assert.equal(r.code, 0, r.stderr)
    const report = JSON.parse(r.stdout) as DoctorResult
    const provider = (name: string) => report.runtime.providers.find((p) => p.name === name)
    assert.deepEqual([provider('cpu')?.usable, provider('cpu')?.error], [true, undefined])
    // This machine has neither CUDA libraries nor a GPU: the session itself must fail.
    assert.equal(provider('cuda')?.usable, false)
    assert.match(provider('cuda')?.error ?? '', /\S/)
    assert.ok(
      report.problems.some((p) => /^DPT_PROVIDER=cuda, but cuda is not usable here/.test(p)),
      report.problems.join('\n'),
    )
  })

  it("shortens onnxruntime's assertion messages to their sentence", () => {
    assert.equal(
      shortError(
        '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters',
      ),
      'Failed to get a WebGPU adapter: No supported adapters',
    )
    assert.equal(
      shortError('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library\nmore'),
      'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library',
    )
  })
})
