/**
 * The depth command end to end on the channel-mean fixture model (depth = mean of the normalised channels),
 * whose outputs are computable by hand: formats, faults, resume, refusal to overwrite, shards, workers, Ctrl-C.
 * Parity with the reference on real architectures is in depth-goldens.test.ts.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import {decodeNpyFloat32} from '../../src/formats/npy.js'
import {decodePfm} from '../../src/formats/pfm.js'
import {applyColormap} from '../../src/pipeline/render/colormap.js'
import {minMaxFinite, toUint16Reference, toUint8Reference} from '../../src/kernels/depth-scale.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {type RunResult} from '../../src/pipeline/images.js'

const MODEL = fixture('models', 'channel-mean')

async function noise(path: string, width: number, height: number, seed: number): Promise<void> {
  const data = Buffer.alloc(width * height * 3)
  let s = seed
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    data[i] = (s >>> 16) & 255
  }
  mkdirSync(join(path, '..'), {recursive: true})
  await sharp(data, {raw: {width, height, channels: 3}})
    .png()
    .toFile(path)
}

/** Pixels as stored: 16-bit grey, 8-bit grey or RGB (sharp would otherwise hand back 8-bit sRGB). */
async function pixels(path: string, kind: 'grey16' | 'grey8' | 'rgb'): Promise<Uint8Array | Uint16Array> {
  const meta = await sharp(path).metadata()
  const expected = {grey16: ['ushort', 1], grey8: ['uchar', 1], rgb: ['uchar', 3]}[kind]
  assert.deepEqual([meta.depth, meta.channels], expected, `${path} is ${meta.depth}×${meta.channels}`)
  if (kind === 'grey16') {
    const data = await sharp(path).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer()
    return new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
  }
  return new Uint8Array(
    await sharp(path)
      .toColourspace(kind === 'grey8' ? 'b-w' : 'srgb')
      .raw()
      .toBuffer(),
  )
}

/** oclif wraps error text at the terminal width: compare it as one line. */
const oneLine = (text: string): string => text.replace(/\n ›\s+/g, ' ').replace(/\s+/g, ' ')

const json = (stdout: string): RunResult => JSON.parse(stdout) as RunResult

function listFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

describe('dpt depth (pipeline)', () => {
  let root = ''
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'dpt-depth-'))
    await noise(join(root, 'imgs', 'a.png'), 80, 60, 1)
    await noise(join(root, 'imgs', 'sub', 'b.png'), 45, 70, 2)
    await sharp({create: {width: 40, height: 30, channels: 3, background: {r: 200, g: 100, b: 50}}})
      .jpeg({quality: 100})
      .toFile(join(root, 'imgs', 'const.jpg'))
    writeFileSync(join(root, 'imgs', 'notes.txt'), 'not an image')
  })

  it('writes every format, each consistent with the raw depth', async () => {
    const out = join(root, 'out-formats')
    const r = await runCli(['depth', join(root, 'imgs'), '-o', out, '--model', MODEL, '--format', 'png16,pfm,npy,png8,color', '--colormap', 'turbo', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const summary = json(r.stdout)
    assert.deepEqual(summary.counts, {files: 4, processed: 3, failed: 0, skippedExisting: 0, notImages: 1, notStarted: 0})
    assert.deepEqual(
      summary.notImages.map((p) => p.split('/').pop()),
      ['notes.txt'],
    )
    assert.deepEqual(listFiles(out), [
      'a.8bit.png',
      'a.npy',
      'a.pfm',
      'a.png',
      'a.turbo.png',
      'const.8bit.png',
      'const.npy',
      'const.pfm',
      'const.png',
      'const.turbo.png',
      'sub/b.8bit.png',
      'sub/b.npy',
      'sub/b.pfm',
      'sub/b.png',
      'sub/b.turbo.png',
    ])
    const record = summary.images.find((i) => i.input.endsWith('a.png'))
    assert.deepEqual(record?.originalSize, {width: 80, height: 60})
    assert.deepEqual(record.networkSize, {width: 88, height: 64}) // 64/60 is closer to 1 than 64/80; 85.3 → 88 (×8)
    for (const stem of ['a', 'sub/b']) {
      const npy = decodeNpyFloat32(readFileSync(join(out, `${stem}.npy`)))
      const pfm = decodePfm(readFileSync(join(out, `${stem}.pfm`)))
      assert.deepEqual(pfm.data, npy.data)
      const {min, max} = minMaxFinite(npy.data)
      assert.ok(max > min)
      assert.deepEqual(await pixels(join(out, `${stem}.png`), 'grey16'), toUint16Reference(npy.data, min, max))
      assert.deepEqual(await pixels(join(out, `${stem}.8bit.png`), 'grey8'), toUint8Reference(npy.data, min, max))
      assert.deepEqual(await pixels(join(out, `${stem}.turbo.png`), 'rgb'), applyColormap(toUint8Reference(npy.data, min, max), 'turbo'))
    }
  })

  it('computes the value by hand on a constant image', async () => {
    const out = join(root, 'out-const')
    const r = await runCli(['depth', join(root, 'imgs', 'const.jpg'), '-o', out, '--model', MODEL, '--format', 'npy,png16'])
    assert.equal(r.code, 0, r.stderr)
    const rgb = await pixels(join(root, 'imgs', 'const.jpg'), 'rgb')
    const expected = ((rgb[0]! + rgb[1]! + rgb[2]!) / 3 / 255 - 0.5) / 0.5
    const depth = decodeNpyFloat32(readFileSync(join(out, 'const.npy'))).data
    for (const v of depth) assert.ok(Math.abs(v - expected) < 1e-6, `${v} vs ${expected}`)
  })

  it('reports bad images, skips them, goes on and exits 3; --fail-fast stops at the first', async () => {
    const dir = join(root, 'bad')
    await noise(join(dir, 'good.png'), 32, 32, 3)
    const good = readFileSync(join(dir, 'good.png'))
    writeFileSync(join(dir, 'truncated.png'), good.subarray(0, good.length >> 1))
    writeFileSync(join(dir, 'empty.jpg'), Buffer.alloc(0))
    writeFileSync(join(dir, 'garbage.jpg'), Buffer.from('definitely not a jpeg'))
    await noise(join(dir, 'zz-huge.png'), 200, 200, 4)
    const r = await runCli(['depth', dir, '-o', join(root, 'out-bad'), '--model', MODEL, '--max-pixels', '10000', '--json'])
    assert.equal(r.code, 3)
    const summary = json(r.stdout)
    assert.equal(summary.counts.processed, 1)
    assert.deepEqual(
      summary.failures.map((f) => [f.input.split('/').pop(), f.reason.replace(/ \(.*$/s, '')]),
      [
        ['empty.jpg', 'empty file'],
        ['garbage.jpg', 'Input buffer contains unsupported image format'],
        ['truncated.png', 'corrupt or truncated png data'],
        ['zz-huge.png', 'Input image exceeds pixel limit'],
      ],
    )
    assert.deepEqual(listFiles(join(root, 'out-bad')), ['good.png'])
    const ff = await runCli(['depth', dir, '-o', join(root, 'out-ff'), '--model', MODEL, '--max-pixels', '10000', '--fail-fast', '--json'])
    assert.equal(ff.code, 3)
    const s2 = json(ff.stdout)
    // Images already being decoded when the first one failed may fail too; nothing new starts.
    assert.ok(s2.failures.length >= 1 && s2.failures.length <= 3)
    assert.ok(s2.counts.notStarted > 0)
    assert.equal(s2.counts.processed + s2.failures.length + s2.counts.notStarted, 5)
  })

  it('refuses existing outputs, resumes with --skip-existing, replaces with --overwrite', async () => {
    const out = join(root, 'out-resume')
    const args = ['depth', join(root, 'imgs'), '-o', out, '--model', MODEL, '--format', 'png16,npy']
    assert.equal((await runCli(args)).code, 0)
    const refused = await runCli(args)
    assert.equal(refused.code, 2)
    assert.match(oneLine(refused.stderr), /6 output file\(s\) already exist, e\.g\. .*Pass --skip-existing to resume the run, or --overwrite to replace them\./)
    writeFileSync(join(out, 'a.npy'), 'stale')
    unlinkSync(join(out, 'a.png'))
    const resumed = json((await runCli([...args, '--skip-existing', '--json'])).stdout)
    assert.equal(resumed.counts.skippedExisting, 2)
    assert.equal(resumed.counts.processed, 1)
    assert.notEqual(readFileSync(join(out, 'a.npy')).toString(), 'stale')
    const replaced = json((await runCli([...args, '--overwrite', '--json'])).stdout)
    assert.equal(replaced.counts.processed, 3)
  })

  it('never writes over an input', async () => {
    const dir = join(root, 'inplace')
    await noise(join(dir, 'x.png'), 20, 20, 5)
    const before = readFileSync(join(dir, 'x.png'))
    const r = await runCli(['depth', join(dir, 'x.png'), '-o', dir, '--model', MODEL, '--overwrite'])
    assert.equal(r.code, 2)
    assert.match(oneLine(r.stderr), /Refusing to write .*x\.png: it is one of the inputs/)
    assert.deepEqual(readFileSync(join(dir, 'x.png')), before)
  })

  it('gives identical bytes whatever --workers, --threads and memory planning, and the same pixels with DPT_WASM=0, on a real DPT-Hybrid graph', async () => {
    const configs = [
      ['1', '1'],
      ['2', '1'],
      ['1', '2'],
      ['1', '2', '--no-mem-pattern', '--no-mem-arena'],
      ['1', '2', 'DPT_WASM=0'],
    ]
    const outs = configs.map((_, i) => join(root, `out-config${i}`))
    for (const [i, [w, t, ...tuning]] of configs.entries()) {
      const model = fixture('models', 'dpt-hybrid-tiny')
      // DPT_WASM=0: the TypeScript upsample and PNG rows instead of the WebAssembly kernels.
      const env = tuning.includes('DPT_WASM=0') ? {DPT_WASM: '0'} : {}
      const flags = tuning.filter((a) => a.startsWith('--'))
      const r = await runCli(
        ['depth', join(root, 'imgs'), '-o', outs[i]!, '--model', model, '--format', 'png16,npy', '--workers', w!, '--threads', t!, ...flags],
        {env},
      )
      assert.equal(r.code, 0, r.stderr)
    }
    const files = listFiles(outs[0]!)
    for (const [i, out] of outs.entries()) {
      assert.deepEqual(listFiles(out), files)
      for (const f of files) {
        // The TypeScript path's PNGs are zlib's deflate, the WebAssembly path's its own: the same pixels.
        if (configs[i]!.includes('DPT_WASM=0') && f.endsWith('.png'))
          assert.deepEqual(await pixels(join(out, f), 'grey16'), await pixels(join(outs[0]!, f), 'grey16'), f)
        else assert.deepEqual(readFileSync(join(out, f)), readFileSync(join(outs[0]!, f)), f)
      }
    }
  })

  it('splits the inputs into disjoint shards that cover them all', async () => {
    const runs = await Promise.all(
      ['1/2', '2/2'].map((s) => runCli(['depth', join(root, 'imgs'), '-o', join(root, 'out-shard'), '--model', MODEL, '--shard', s, '--json'])),
    )
    const inputs = runs.map((r) => json(r.stdout).images.map((i) => i.input.split('/').pop()))
    assert.deepEqual(inputs.flat().sort(), ['a.png', 'b.png', 'const.jpg'])
    assert.equal(inputs[0]!.filter((x) => inputs[1]!.includes(x)).length, 0)
    const bad = await runCli(['depth', join(root, 'imgs'), '-o', join(root, 'o'), '--model', MODEL, '--shard', '3/2'])
    assert.equal(bad.code, 2)
    assert.match(oneLine(bad.stderr), /Shard index 3 is outside 1\.\.2 \(--shard 3\/2\)/)
  })

  it('normalises over the whole run with --normalize global', async () => {
    const out = join(root, 'out-global')
    const r = await runCli([
      'depth',
      join(root, 'imgs', 'a.png'),
      join(root, 'imgs', 'sub'),
      '-o',
      out,
      '--model',
      MODEL,
      '--format',
      'png16,npy',
      '--normalize',
      'global',
    ])
    assert.equal(r.code, 0, r.stderr)
    const maps = ['a', 'sub/b'].map((s) => decodeNpyFloat32(readFileSync(join(out, `${s}.npy`))).data)
    const min = Math.min(...maps.map((m) => minMaxFinite(m).min))
    const max = Math.max(...maps.map((m) => minMaxFinite(m).max))
    for (const [i, s] of ['a', 'sub/b'].entries()) {
      assert.deepEqual(await pixels(join(out, `${s}.png`), 'grey16'), toUint16Reference(maps[i]!, min, max))
    }
    assert.ok(!readdirSync(out).some((f) => f.startsWith('.dpt-spill')))
  })

  it('stops cleanly on Ctrl-C: exit 130, summary printed, no partial or temporary file', async () => {
    const dir = join(root, 'many')
    for (let i = 0; i < 150; i++) await noise(join(dir, `${String(i).padStart(3, '0')}.png`), 320, 240, 100 + i)
    const out = join(root, 'out-int')
    const r = await runCli(['depth', dir, '-o', out, '--model', MODEL, '--format', 'png16,npy', '--json'], {
      interruptWhen: () => existsSync(out) && listFiles(out).length > 0,
    })
    assert.ok(r.interrupted)
    assert.equal(r.code, 130, `${r.stderr}\n${r.stdout.slice(0, 600)}`)
    const summary = json(r.stdout)
    assert.equal(summary.interrupted, true)
    assert.ok(summary.counts.notStarted > 0)
    const files = listFiles(out)
    assert.ok(
      files.every((f) => !f.includes('.tmp') && !f.startsWith('.')),
      files.join(' '),
    )
    // Every file present is complete: it decodes, and belongs to an image the summary lists as written.
    const written = new Set(summary.images.flatMap((i) => i.outputs.map((o) => o.split('/').pop())))
    for (const f of files) {
      assert.ok(written.has(f), `${f} is not in the summary`)
      if (f.endsWith('.npy')) assert.equal(decodeNpyFloat32(readFileSync(join(out, f))).data.length, 320 * 240)
      else assert.equal((await pixels(join(out, f), 'grey16')).length, 320 * 240)
    }
  })

  it('rejects a card that contradicts the graph, with exit code 4', async () => {
    const dir = join(root, 'bad-card')
    mkdirSync(dir, {recursive: true})
    const card = JSON.parse(readFileSync(join(MODEL, 'dpt-card.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(join(dir, 'm.card.json'), JSON.stringify({...card, output: {name: 'depth'}}))
    writeFileSync(join(dir, 'm.onnx'), readFileSync(join(MODEL, 'onnx', 'model.onnx')))
    const r = await runCli(['depth', join(root, 'imgs'), '-o', join(root, 'out-bad-card'), '--model', join(dir, 'm.onnx')])
    assert.equal(r.code, 4)
    assert.match(oneLine(r.stderr), /contradicts its ONNX graph .*output "depth" is not in the graph \(outputs: predicted_depth\)/)
    assert.ok(!existsSync(join(root, 'out-bad-card', 'a.png')))
  })

  it('writes metric depth with the KITTI ×256 convention', async () => {
    const dir = join(root, 'metric')
    mkdirSync(dir, {recursive: true})
    const card = JSON.parse(readFileSync(join(MODEL, 'dpt-card.json'), 'utf8')) as {preprocess: object}
    const metric = {...card, semantics: 'metric-depth', metricPngScale: 256, preprocess: {...card.preprocess, mean: [0, 0, 0], std: [0.01, 0.01, 0.01]}}
    writeFileSync(join(dir, 'm.card.json'), JSON.stringify(metric))
    writeFileSync(join(dir, 'm.onnx'), readFileSync(join(MODEL, 'onnx', 'model.onnx')))
    const out = join(root, 'out-metric')
    const r = await runCli(['depth', join(root, 'imgs', 'a.png'), '-o', out, '--model', join(dir, 'm.onnx'), '--format', 'png16,npy'])
    assert.equal(r.code, 0, r.stderr)
    const metres = decodeNpyFloat32(readFileSync(join(out, 'a.npy'))).data
    const stored = await pixels(join(out, 'a.png'), 'grey16')
    assert.ok(minMaxFinite(metres).max > 60, 'depths up to 100 m')
    assert.deepEqual(
      stored,
      Uint16Array.from(metres, (d) => Math.min(65535, Math.max(0, Math.trunc(d * 256)))),
    )
  })

  it('is silent on stderr under --json without a terminal, and prints a human summary otherwise', async () => {
    const quiet = await runCli(['depth', join(root, 'imgs'), '-o', join(root, 'out-quiet'), '--model', MODEL, '--json'])
    assert.equal(quiet.code, 0)
    assert.equal(quiet.stderr, '')
    const human = await runCli(['depth', join(root, 'imgs'), '-o', join(root, 'out-human'), '--model', MODEL])
    assert.equal(human.stdout, '')
    assert.match(human.stderr, /^3 image\(s\) written to .*out-human in [\d.]+ s/)
    assert.match(human.stderr, /1 file\(s\) are not images and were skipped: .*notes\.txt/)
  })
})
