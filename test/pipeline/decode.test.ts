import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import sharp, {type Sharp} from 'sharp'
import {decodeImage, NotAnImage} from '../../src/pipeline/decode.js'

/** A 3×2 RGB image with distinct pixels, as raw bytes. */
const RGB = Buffer.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180])
const raw = {raw: {width: 3, height: 2, channels: 3 as const}}

describe('decodeImage', () => {
  it('applies EXIF orientation (6: rotate 90° clockwise)', async () => {
    const jpeg = await sharp(RGB, raw).withMetadata({orientation: 6}).jpeg({quality: 100}).toBuffer()
    const upright = await decodeImage('x.jpg', await sharp(jpeg).jpeg({quality: 100}).toBuffer(), 1e6, 'high-byte')
    const image = await decodeImage('x.jpg', jpeg, 1e6, 'high-byte')
    assert.deepEqual([image.width, image.height], [2, 3])
    const expected = await sharp(jpeg).rotate().raw().toBuffer()
    assert.deepEqual(Buffer.from(image.pixels), expected)
    assert.deepEqual([upright.width, upright.height], [3, 2])
  })

  it('drops alpha without compositing', async () => {
    const rgba = Buffer.from([10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255])
    const png = await sharp(rgba, {raw: {width: 3, height: 1, channels: 4}})
      .png()
      .toBuffer()
    const image = await decodeImage('a.png', png, 1e6, 'high-byte')
    assert.deepEqual([...image.pixels], [10, 20, 30, 40, 50, 60, 70, 80, 90])
  })

  it('replicates grey into three channels', async () => {
    const png = await sharp(Buffer.from([0, 128, 255]), {raw: {width: 3, height: 1, channels: 1}})
      .toColourspace('b-w')
      .png()
      .toBuffer()
    const image = await decodeImage('g.png', png, 1e6, 'high-byte')
    assert.deepEqual([...image.pixels], [0, 0, 0, 128, 128, 128, 255, 255, 255])
  })

  it('reads 16-bit samples as their high byte, or all 16 bits with --keep-16bit', async () => {
    const grey = await sharp(new Uint16Array([0, 1000, 65535]), {raw: {width: 3, height: 1, channels: 1}})
      .toColourspace('grey16')
      .png()
      .toBuffer()
    const g = await decodeImage('g16.png', grey, 1e6, 'full')
    assert.equal(g.bitDepth, 16)
    assert.deepEqual([...g.pixels], [0, 0, 0, 1000, 1000, 1000, 65535, 65535, 65535])
    const g8 = await decodeImage('g16.png', grey, 1e6, 'high-byte')
    assert.deepEqual([g8.bitDepth, ...g8.pixels], [8, 0, 0, 0, 3, 3, 3, 255, 255, 255])
    const rgb = await sharp(new Uint16Array([1, 2, 255, 65534, 300, 40000]), {raw: {width: 2, height: 1, channels: 3}})
      .toColourspace('rgb16')
      .png()
      .toBuffer()
    const c = await decodeImage('c16.png', rgb, 1e6, 'full')
    assert.deepEqual([c.bitDepth, ...c.pixels], [16, 1, 2, 255, 65534, 300, 40000])
    // v >> 8, not round(v / 257): 255 → 0 (not 1), 300 → 1, 65534 → 255, 40000 → 156.
    const c8 = await decodeImage('c16.png', rgb, 1e6, 'high-byte')
    assert.deepEqual([c8.bitDepth, ...c8.pixels], [8, 0, 0, 0, 255, 1, 156])
  })

  it('reads every format sharp decodes, by content whatever the name', async () => {
    const encoders = {
      png: (s: Sharp) => s.png(),
      webp: (s: Sharp) => s.webp({lossless: true}),
      tiff: (s: Sharp) => s.tiff({compression: 'lzw'}),
      gif: (s: Sharp) => s.gif(),
      avif: (s: Sharp) => s.avif({lossless: true}),
      jpeg: (s: Sharp) => s.jpeg(),
    }
    for (const [format, encode] of Object.entries(encoders)) {
      const bytes = await encode(sharp(RGB, raw)).toBuffer()
      const image = await decodeImage('no-extension', bytes, 1e6, 'high-byte')
      assert.deepEqual([image.format, image.width, image.height, image.pixels.length], [format === 'avif' ? 'heif' : format, 3, 2, 18], format)
      if (format === 'png' || format === 'webp' || format === 'tiff') assert.deepEqual(Buffer.from(image.pixels), RGB, format)
    }
  })

  it('takes the first frame of an animation', async () => {
    const frames = Buffer.concat([Buffer.alloc(12, 200), Buffer.alloc(12, 10)])
    const gif = await sharp(frames, {raw: {width: 2, height: 4, channels: 3, pageHeight: 2}})
      .gif()
      .toBuffer()
    const image = await decodeImage('anim.gif', gif, 1e6, 'high-byte')
    assert.deepEqual([image.width, image.height], [2, 2])
    assert.ok([...image.pixels].every((v) => v > 150))
  })

  it('tells other files from broken images by their name', async () => {
    await assert.rejects(decodeImage('notes.txt', Buffer.from('hello'), 1e6, 'high-byte'), NotAnImage)
    await assert.rejects(decodeImage('empty.txt', Buffer.alloc(0), 1e6, 'high-byte'), NotAnImage)
    await assert.rejects(
      decodeImage('photo.jpg', Buffer.from('hello'), 1e6, 'high-byte'),
      (e: Error) => !(e instanceof NotAnImage) && /unsupported image format/.test(e.message),
    )
    await assert.rejects(decodeImage('photo.jpg', Buffer.alloc(0), 1e6, 'high-byte'), /empty file/)
  })

  it('refuses images over the pixel limit before decoding them', async () => {
    const png = await sharp(RGB, raw).png().toBuffer()
    await assert.rejects(decodeImage('big.png', png, 5, 'high-byte'), /exceeds pixel limit/)
  })
})
