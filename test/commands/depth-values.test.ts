/**
 * Values you can map back (issue 16 point 3), end to end on the channel-mean fixture model (depth = mean of the
 * normalised channels, in [−1, 1]): each image's range in --json and in the PNGs' text, pixels mapped back to the
 * model's values, --range (fixed, clamped, both kernel backends), the run's range under --normalize global, the
 * colour bar.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import {decodeNpyFloat32} from '../../src/formats/npy.js'
import {readPngText} from '../../src/formats/png-text.js'
import {minMaxFinite, toUint16Reference, toUint8Reference} from '../../src/kernels/depth-scale.js'
import type {RunResult} from '../../src/pipeline/images.js'
import {applyColormap, colormapLut} from '../../src/pipeline/render/colormap.js'
import {float32Text} from '../../src/pipeline/render/value-text.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'

const MODEL = fixture('models', 'channel-mean')

async function noise(path: string, width: number, height: number, seed: number): Promise<void> {
  const data = Buffer.alloc(width * height * 3)
  let s = seed
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    data[i] = (s >>> 16) & 255
  }
  await sharp(data, {raw: {width, height, channels: 3}})
    .png()
    .toFile(path)
}

async function grey16(path: string): Promise<Uint16Array> {
  const data = await sharp(path).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer()
  return new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
}
const raw8 = async (path: string, space: 'b-w' | 'srgb'): Promise<Uint8Array> => new Uint8Array(await sharp(path).toColourspace(space).raw().toBuffer())
const text = (path: string): Record<string, string> => readPngText(readFileSync(path))
const npy = (path: string): Float32Array => decodeNpyFloat32(readFileSync(path)).data
const oneLine = (t: string): string => t.replace(/\n ›\s+/g, ' ').replace(/\s+/g, ' ')

describe('dpt depth: values you can map back', () => {
  let root = ''
  let inputs: string[] = []
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'dpt-values-'))
    mkdirSync(join(root, 'in'))
    inputs = [join(root, 'in', 'a.png'), join(root, 'in', 'b.png')]
    await noise(inputs[0]!, 60, 40, 1)
    await noise(inputs[1]!, 30, 50, 2)
  })

  it("records each image's range in --json and in its PNGs' text, and maps every pixel back within one level", async () => {
    const out = join(root, 'per-image')
    const r = await runCli(['depth', ...inputs, '-o', out, '--model', MODEL, '--format', 'npy,png16,png8,color', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout) as RunResult
    assert.deepEqual(result.normalization, {mode: 'image', range: null, colorbar: join(out, 'colorbar.inferno.svg')})
    for (const stem of ['a', 'b']) {
      const values = npy(join(out, `${stem}.npy`))
      const {min, max} = minMaxFinite(values)
      assert.deepEqual(result.images.find((i) => i.input.endsWith(`${stem}.png`))?.valueRange, {min, max})
      const t16 = text(join(out, `${stem}.png`))
      assert.deepEqual(t16, {
        'dpt:values': 'relative-inverse-depth',
        'dpt:image-min': float32Text(min),
        'dpt:image-max': float32Text(max),
        'dpt:normalize': 'image',
        'dpt:min': float32Text(min),
        'dpt:max': float32Text(max),
        'dpt:levels': '65535',
        'dpt:mapping': 'value = dpt:min + v / 65535 * (dpt:max - dpt:min)',
      })
      // Read back as a user would: the text's numbers, the pixels, the mapping. Truncation puts each value in
      // [mapped, mapped + one level).
      const lo = Number(t16['dpt:min'])
      const hi = Number(t16['dpt:max'])
      const step = (hi - lo) / 65535
      const pixels = await grey16(join(out, `${stem}.png`))
      pixels.forEach((v, i) => {
        const back = lo + (v / 65535) * (hi - lo)
        assert.ok(values[i]! - back > -1e-6 && values[i]! - back < step + 1e-6, `pixel ${i}: ${values[i]} from ${back}`)
      })
      assert.equal(text(join(out, `${stem}.8bit.png`))['dpt:levels'], '255')
      assert.equal(text(join(out, `${stem}.inferno.png`))['dpt:colormap'], 'inferno')
      assert.deepEqual(await raw8(join(out, `${stem}.8bit.png`), 'b-w'), toUint8Reference(values, min, max))
    }
  })

  it('--range fixes the scale of every normalised format; values outside clamp; same pixels on both kernel backends', async () => {
    const outs = [join(root, 'range-wasm'), join(root, 'range-ts')]
    for (const [i, out] of outs.entries()) {
      const r = await runCli(
        ['depth', ...inputs, '-o', out, '--model', MODEL, '--format', 'npy,png16,png8,color', '--colormap', 'turbo', '--range', '-0.25,0.5', '--json'],
        {
          env: i === 1 ? {DPT_WASM: '0'} : {},
        },
      )
      assert.equal(r.code, 0, r.stderr)
      const result = JSON.parse(r.stdout) as RunResult
      assert.deepEqual(result.normalization, {mode: 'range', range: {min: -0.25, max: 0.5}, colorbar: join(out, 'colorbar.turbo.svg')})
      for (const stem of ['a', 'b']) {
        const values = npy(join(out, `${stem}.npy`))
        const png = await grey16(join(out, `${stem}.png`))
        assert.deepEqual(png, toUint16Reference(values, -0.25, 0.5))
        assert.ok(png.includes(0) && png.includes(65535), 'noise in [−1, 1] clamps at both ends')
        assert.deepEqual(await raw8(join(out, `${stem}.8bit.png`), 'b-w'), toUint8Reference(values, -0.25, 0.5))
        assert.deepEqual(await raw8(join(out, `${stem}.turbo.png`), 'srgb'), applyColormap(toUint8Reference(values, -0.25, 0.5), 'turbo'))
        const t = text(join(out, `${stem}.png`))
        assert.deepEqual([t['dpt:normalize'], t['dpt:min'], t['dpt:max']], ['range', '-0.25', '0.5'])
        assert.equal(t['dpt:image-max'], float32Text(minMaxFinite(values).max))
      }
    }
    assert.deepEqual(await grey16(join(outs[1]!, 'a.png')), await grey16(join(outs[0]!, 'a.png')))
  })

  it("reports the run's range under --normalize global (--json, the summary and each PNG's text)", async () => {
    const out = join(root, 'global')
    const r = await runCli(['depth', ...inputs, '-o', out, '--model', MODEL, '--format', 'npy,png16', '--normalize', 'global', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout) as RunResult
    const ranges = ['a', 'b'].map((s) => minMaxFinite(npy(join(out, `${s}.npy`))))
    const run = {min: Math.min(...ranges.map((x) => x.min)), max: Math.max(...ranges.map((x) => x.max))}
    assert.deepEqual(result.normalization, {mode: 'global', range: run, colorbar: null})
    assert.deepEqual(
      result.images.map((i) => i.valueRange),
      ranges,
    )
    for (const [i, stem] of ['a', 'b'].entries()) {
      const t = text(join(out, `${stem}.png`))
      assert.deepEqual(
        [t['dpt:normalize'], t['dpt:min'], t['dpt:max'], t['dpt:image-min'], t['dpt:image-max']],
        ['global', float32Text(run.min), float32Text(run.max), float32Text(ranges[i]!.min), float32Text(ranges[i]!.max)],
      )
    }
    const human = await runCli(['depth', ...inputs, '-o', out, '--model', MODEL, '--format', 'png16', '--normalize', 'global', '--overwrite'])
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stderr, new RegExp(`normalised over the run: model values ${float32Text(run.min)} to ${float32Text(run.max)}\\n`))
  })

  it('writes the colour bar: one rectangle per level in the colormap, the ends labelled', async () => {
    const perImage = readFileSync(join(root, 'per-image', 'colorbar.inferno.svg'), 'utf8')
    const fills = [...perImage.matchAll(/<rect x="(\d+)" y="8" width="1" height="24" fill="#([0-9a-f]{6})"\/>/g)]
    assert.equal(fills.length, 256)
    const lut = colormapLut('inferno')
    fills.forEach((m, v) => {
      assert.equal(Number(m[1]), 12 + v)
      assert.equal(m[2], Buffer.from(lut.subarray(v * 3, v * 3 + 3)).toString('hex'))
    })
    assert.match(perImage, />each image's min<\/text>[\s\S]*>far<\/text>[\s\S]*>each image's max<\/text>[\s\S]*>near<\/text>/)
    const fixed = readFileSync(join(root, 'range-wasm', 'colorbar.turbo.svg'), 'utf8')
    assert.match(fixed, />-0\.25<\/text>[\s\S]*>0\.5<\/text>/)
    assert.match(fixed, /<desc>colormap turbo; values relative-inverse-depth; normalize range; range -0\.25 to 0\.5;/)
    // An SVG librsvg renders: the bar's pixels are the colormap's.
    const {data, info} = await sharp(Buffer.from(fixed), {density: 72}).removeAlpha().raw().toBuffer({resolveWithObject: true})
    const turbo = colormapLut('turbo')
    const y = 20 * 2
    for (const v of [0, 100, 255]) {
      const x = (12 + v) * 2
      assert.deepEqual([...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)], [...turbo.subarray(v * 3, v * 3 + 3)], `level ${v}`)
    }
  })

  it('refuses --range with --normalize global, and a range that is not MIN,MAX with MIN < MAX', async () => {
    const both = await runCli(['depth', ...inputs, '-o', join(root, 'x'), '--model', MODEL, '--range', '0,1', '--normalize', 'global'])
    assert.equal(both.code, 2)
    assert.match(oneLine(both.stderr), /--range and --normalize global both choose the min\/max/)
    for (const bad of ['1,0', '0', '0,1,2', 'a,b', '0,Infinity']) {
      const r = await runCli(['depth', ...inputs, '-o', join(root, 'x'), '--model', MODEL, '--range', bad])
      assert.notEqual(r.code, 0)
      assert.match(oneLine(r.stderr), /Expected --range to be MIN,MAX with finite numbers MIN < MAX/, bad)
    }
  })

  it('refuses --range with the video formats and with --normalize stable (they choose their scale per frame), exit 2 with and without --json', async () => {
    for (const extra of [
      ['--format', 'png16,mkv16'],
      ['--format', 'png16', '--normalize', 'stable'],
    ]) {
      for (const json of [[], ['--json']]) {
        const r = await runCli(['depth', ...inputs, '-o', join(root, 'x'), '--model', MODEL, '--range', '0,1', ...extra, ...json])
        assert.equal(r.code, 2, `${extra.join(' ')} ${json.join(' ')}: ${r.stderr}`)
        const said = json.length === 0 ? oneLine(r.stderr) : r.stdout
        const expected = extra.includes('stable') ? 'not to --normalize stable' : 'not to --format mkv16'
        assert.ok(said.includes(`--range applies to the per-image formats (png16, png8, color), ${expected}`), said)
      }
    }
  })

  it('says how a metric PNG maps back: the scale, no normalisation', async () => {
    const dir = join(root, 'metric')
    mkdirSync(dir)
    const card = JSON.parse(readFileSync(join(MODEL, 'dpt-card.json'), 'utf8')) as {preprocess: object}
    const metric = {...card, semantics: 'metric-depth', metricPngScale: 256, preprocess: {...card.preprocess, mean: [0, 0, 0], std: [0.01, 0.01, 0.01]}}
    const cardPath = join(dir, 'metric.card.json')
    writeFileSync(cardPath, JSON.stringify(metric))
    const out = join(root, 'metric-out')
    const r = await runCli(['depth', inputs[0]!, '-o', out, '--model', MODEL, '--card', cardPath, '--format', 'npy,png16,png8', '--range', '0,50'])
    assert.equal(r.code, 0, r.stderr)
    const {min, max} = minMaxFinite(npy(join(out, 'a.npy')))
    assert.deepEqual(text(join(out, 'a.png')), {
      'dpt:values': 'metric-depth',
      'dpt:image-min': float32Text(min),
      'dpt:image-max': float32Text(max),
      'dpt:scale': '256',
      'dpt:mapping': 'value = v / 256',
    })
    assert.deepEqual([text(join(out, 'a.8bit.png'))['dpt:min'], text(join(out, 'a.8bit.png'))['dpt:max']], ['0', '50'])
  })
})
