import assert from 'node:assert/strict'
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {ContactSheet, renderContactSheet} from '../../src/html/contact/sheet.js'
import {classThumb, depthThumb, thumbSize} from '../../src/html/contact/thumbs.js'
import {ADE20K_PALETTE} from '../../src/pipeline/render/ade20k.js'
import {colormapLut} from '../../src/pipeline/render/colormap.js'

describe('contact sheet thumbnails', () => {
  it('are bounded by their longest side and never enlarged', () => {
    assert.deepEqual(thumbSize(4000, 3000, 192), {width: 192, height: 144})
    assert.deepEqual(thumbSize(100, 400, 192), {width: 48, height: 192})
    assert.deepEqual(thumbSize(50, 20, 192), {width: 50, height: 20})
  })

  it('normalise a depth output over its whole range, near bright for disparity and for metres', () => {
    const lut = colormapLut('inferno')
    const values = Float32Array.of(0.2, 0.8, Number.NaN, 0.5)
    const disparity = depthThumb(values, 2, 2, 192, lut, true)
    assert.deepEqual([disparity.min, disparity.max], [Math.fround(0.2), Math.fround(0.8)])
    assert.deepEqual([...disparity.image.data.slice(3, 6)], [...lut.slice(765, 768)], 'largest disparity: nearest, brightest')
    const metres = depthThumb(values, 2, 2, 192, lut, false)
    assert.deepEqual([...metres.image.data.slice(0, 3)], [...lut.slice(765, 768)], 'smallest depth: nearest, brightest')
    const shares = classThumb(Uint8Array.of(0, 0, 0, 4), 2, 2, 1, ADE20K_PALETTE).shares
    assert.deepEqual(
      [...shares],
      [
        [0, 0.75],
        [4, 0.25],
      ],
    )
  })
})

describe('contact sheet pages', () => {
  it('split rows into pages of pageSize, sorted by input, and render again from sheet.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dpt-sheet-'))
    try {
      const sheet = new ContactSheet({dir, task: 'depth', title: 'run', pageSize: 10})
      const rgb = {width: 4, height: 3, data: new Uint8Array(36).fill(90)}
      for (let k = 25; k >= 1; k--) {
        const input = `in/${String(k).padStart(2, '0')}.png`
        if (k === 13) sheet.add({input, status: 'failed', error: 'cannot decode'})
        else
          await sheet.addDepth(
            {input, status: 'ok', ms: {total: k}},
            rgb,
            Float32Array.from({length: 12}, (_, i) => i + k),
            4,
            3,
          )
      }
      const pages = await sheet.finish(['model: m'])
      assert.deepEqual(
        pages.map((p) => p.slice(dir.length + 1)),
        ['index.html', 'page-2.html', 'page-3.html'],
      )
      const second = await readFile(pages[1]!, 'utf8')
      assert.equal(second.match(/<tr( class="failed")?><td class="num">/g)?.length, 10)
      assert.match(second, /<td class="num">11<\/td>.*in\/11\.png/s)
      assert.match(second, /class="failed"><td class="num">13<\/td>.*cannot decode/s)
      const assets = await readdir(join(dir, 'assets'))
      assert.equal(assets.filter((f) => f.endsWith('.in.jpg')).length, 24)
      assert.ok(assets.includes('colour-bar.svg'))
      const again = await renderContactSheet(dir)
      assert.equal(await readFile(again[1]!, 'utf8'), second)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
