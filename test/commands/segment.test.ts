/**
 * dpt segment end to end on the tiny DPT-Hybrid ADE20K fixture: each output format against its definition
 * (label parity with the reference is in goldens.test.ts).
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync, copyFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import {ADE20K_CLASSES, ADE20K_PALETTE} from '../../src/pipeline/render/ade20k.js'
import {runCli} from '../helpers/cli.js'
import {fixture} from '../helpers/fixtures.js'
import {type RunResult} from '../../src/pipeline/images.js'

const MODEL = fixture('models', 'dpt-hybrid-ade-tiny')

async function raw(path: string, space: 'b-w' | 'srgb', alpha = false): Promise<Uint8Array> {
  const s = sharp(path).toColourspace(space)
  return new Uint8Array(await (alpha ? s.ensureAlpha() : s.removeAlpha()).raw().toBuffer())
}

interface Shares {
  width: number
  height: number
  labelOffset: number
  classes: {id: number; name: string; pixels: number; share: number; color: [number, number, number]}[]
}

describe('dpt segment', () => {
  let root = ''
  let out = ''
  let summary: RunResult
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'dpt-segment-'))
    mkdirSync(join(root, 'in'))
    for (const name of ['coffee-160x120.png', 'rgba-64x48.png']) copyFileSync(fixture('images', name), join(root, 'in', name))
    out = join(root, 'out')
    const r = await runCli(['segment', join(root, 'in'), '-o', out, '--model', MODEL, '--format', 'labels,color,overlay,json,legend', '--json'])
    assert.equal(r.code, 0, r.stderr)
    summary = JSON.parse(r.stdout) as RunResult
  })

  it('writes ADE ids 1..150 and never 0', async () => {
    assert.equal(summary.counts.processed, 2)
    const labels = await raw(join(out, 'coffee-160x120.png'), 'b-w')
    assert.equal(labels.length, 160 * 120)
    assert.ok(labels.every((v) => v >= 1 && v <= 150))
    assert.ok(new Set(labels).size > 1, 'more than one class')
  })

  it('colours every pixel with the ADE20K palette entry of its label', async () => {
    const labels = await raw(join(out, 'coffee-160x120.png'), 'b-w')
    const colour = await raw(join(out, 'coffee-160x120.color.png'), 'srgb')
    labels.forEach((id, i) => {
      assert.deepEqual([...colour.subarray(i * 3, i * 3 + 3)], [...ADE20K_PALETTE[id]!], `pixel ${i}`)
    })
  })

  it('blends the overlay as the reference: floor((image + colour) / 2), opaque RGBA', async () => {
    const image = await raw(fixture('images', 'rgba-64x48.png'), 'srgb')
    const colour = await raw(join(out, 'rgba-64x48.color.png'), 'srgb')
    const meta = await sharp(join(out, 'rgba-64x48.overlay.png')).metadata()
    assert.equal(meta.channels, 4)
    const overlay = await raw(join(out, 'rgba-64x48.overlay.png'), 'srgb', true)
    for (let p = 0; p < 64 * 48; p++) {
      for (let c = 0; c < 3; c++) assert.equal(overlay[p * 4 + c], Math.floor((image[p * 3 + c]! + colour[p * 3 + c]!) / 2), `pixel ${p}`)
      assert.equal(overlay[p * 4 + 3], 255)
    }
  })

  it('lists each present class with its name and share; shares sum to 1', async () => {
    const shares = JSON.parse(readFileSync(join(out, 'coffee-160x120.json'), 'utf8')) as Shares
    const labels = await raw(join(out, 'coffee-160x120.png'), 'b-w')
    const counts = new Map<number, number>()
    for (const id of labels) counts.set(id, (counts.get(id) ?? 0) + 1)
    assert.deepEqual(
      shares.classes.map((c) => [c.id, c.pixels]).sort((a, b) => a[0]! - b[0]!),
      [...counts.entries()].sort((a, b) => a[0] - b[0]),
    )
    for (const c of shares.classes) assert.equal(c.name, ADE20K_CLASSES[c.id - 1])
    // The colour the color and overlay formats give each class, as the color PNG holds it.
    const colour = await raw(join(out, 'coffee-160x120.color.png'), 'srgb')
    for (const c of shares.classes) {
      assert.deepEqual(c.color, [...ADE20K_PALETTE[c.id]!])
      const at = labels.indexOf(c.id)
      assert.deepEqual([...colour.subarray(at * 3, at * 3 + 3)], c.color, c.name)
    }
    assert.ok(Math.abs(shares.classes.reduce((s, c) => s + c.share, 0) - 1) < 1e-12)
    assert.deepEqual([shares.width, shares.height, shares.labelOffset], [160, 120, 1])
  })

  it('draws a legend on request: one swatch per present class, largest share first', async () => {
    const shares = JSON.parse(readFileSync(join(out, 'coffee-160x120.json'), 'utf8')) as Shares
    const svg = readFileSync(join(out, 'coffee-160x120.legend.svg'), 'utf8')
    assert.match(svg, new RegExp(`>coffee-160x120: ${shares.classes.length} classes</text>`))
    const rows = [
      ...svg.matchAll(/<rect x="12" y="\d+" width="12" height="12" fill="#([0-9a-f]{6})"[^>]*\/>\n<text [^>]*>(\d+) ([^<]+) \(([^)]+) %\)<\/text>/g),
    ]
    assert.deepEqual(
      rows.map((m) => [m[1], Number(m[2]), m[3]]),
      shares.classes.map((c) => [Buffer.from(c.color).toString('hex'), c.id, c.name.replace(/&/g, '&amp;')]),
    )
    assert.equal(rows[0]![4], (shares.classes[0]!.share * 100).toFixed(1))
    assert.ok(summary.images.every((i) => i.outputs.some((o) => o.endsWith('.legend.svg'))))
  })

  it('writes 0..149 with --label-offset 0, and other overlay weights with --alpha', async () => {
    const o2 = join(root, 'out0')
    const r = await runCli(['segment', join(root, 'in', 'rgba-64x48.png'), '-o', o2, '--model', MODEL, '--label-offset', '0', '--alpha', '0.3'])
    assert.equal(r.code, 0, r.stderr)
    const ids = await raw(join(out, 'rgba-64x48.png'), 'b-w')
    assert.deepEqual(
      await raw(join(o2, 'rgba-64x48.png'), 'b-w'),
      ids.map((v) => v - 1),
    )
    const image = await raw(fixture('images', 'rgba-64x48.png'), 'srgb')
    const colour = await raw(join(out, 'rgba-64x48.color.png'), 'srgb')
    const overlay = await raw(join(o2, 'rgba-64x48.overlay.png'), 'srgb', true)
    const a = Math.fround(0.3)
    for (let i = 0; i < 64 * 48 * 3; i++) {
      const x = image[i]!
      assert.equal(overlay[Math.floor(i / 3) * 4 + (i % 3)], Math.trunc(Math.fround(x + Math.fround(a * (colour[i]! - x)))))
    }
  })

  it('refuses a depth model, and reports bad images', async () => {
    const depth = await runCli(['segment', join(root, 'in'), '-o', join(root, 'o3'), '--model', fixture('models', 'dpt-hybrid-tiny')])
    assert.equal(depth.code, 4)
    const bad = join(root, 'bad')
    mkdirSync(bad)
    writeFileSync(join(bad, 'broken.png'), readFileSync(fixture('images', 'coffee-160x120.png')).subarray(0, 200))
    copyFileSync(fixture('images', 'rgba-64x48.png'), join(bad, 'ok.png'))
    const r = await runCli(['segment', bad, '-o', join(root, 'o4'), '--model', MODEL, '--json'])
    assert.equal(r.code, 3)
    const s = JSON.parse(r.stdout) as RunResult
    assert.deepEqual([s.counts.processed, s.failures.map((f) => f.input.split('/').pop())], [1, ['broken.png']])
  })
})
