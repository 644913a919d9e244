/** File formats as ground truth and saved predictions are read: every npy dtype/byte order dpt accepts, Sintel .dpt, ETH3D raw, PNG bit depths. */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import sharp from 'sharp'
import {readDepthFile} from '../../src/formats/depth-file.js'
import {decodeEth3dDepth} from '../../src/formats/eth3d-raw.js'
import {decodeNpy, imageShape, npyFloat32} from '../../src/formats/npy.js'
import {readLabelPng} from '../../src/formats/png.js'
import {readPng16} from '../../src/formats/png16.js'
import {decodeSintelDpt} from '../../src/formats/sintel-dpt.js'
import {writePfm, writePng16} from '../eval/datasets/synthetic.js'

let root = ''
before(() => {
  root = mkdtempSync(join(tmpdir(), 'dpt-eval-gt-'))
})
after(() => {
  rmSync(root, {recursive: true, force: true})
})

/** A numpy.save-style file of the given descr and raw data bytes (format 1.0). */
function npy(descr: string, shape: string, data: Buffer, fortran = 'False'): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n'
  const prefix = Buffer.alloc(10)
  prefix.write('\x93NUMPY', 0, 'latin1')
  prefix[6] = 1
  prefix.writeUInt16LE(header.length, 8)
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data])
}

describe('npy', () => {
  it('reads float32/float64 in both byte orders, integers, booleans and half floats as float32', () => {
    const le = Buffer.alloc(8)
    le.writeFloatLE(1.5, 0)
    le.writeFloatLE(-2, 4)
    assert.deepEqual([...npyFloat32(decodeNpy(npy('<f4', '(1, 2)', le)))], [1.5, -2])
    const be = Buffer.alloc(16)
    be.writeDoubleBE(0.1, 0)
    be.writeDoubleBE(3, 8)
    assert.deepEqual([...npyFloat32(decodeNpy(npy('>f8', '(2,)', be)))], [Math.fround(0.1), 3])
    assert.deepEqual([...decodeNpy(npy('|b1', '(3,)', Buffer.from([1, 0, 1]))).data], [1, 0, 1])
    const u16 = Buffer.alloc(4)
    u16.writeUInt16LE(65535, 0)
    u16.writeUInt16LE(1000, 2)
    assert.deepEqual([...npyFloat32(decodeNpy(npy('<u2', '(2,)', u16)))], [65535, 1000])
    const half = Buffer.alloc(6)
    half.writeUInt16LE(0x3c00, 0) // 1
    half.writeUInt16LE(0xc000, 2) // -2
    half.writeUInt16LE(0x7c00, 4) // inf
    assert.deepEqual([...npyFloat32(decodeNpy(npy('<f2', '(3,)', half)))], [1, -2, Infinity])
  })

  it('refuses Fortran order, unknown dtypes, truncated data and a bad magic', () => {
    assert.throws(() => decodeNpy(npy('<f4', '(1,)', Buffer.alloc(4), 'True')), /Fortran-order/)
    assert.throws(() => decodeNpy(npy('<c8', '(1,)', Buffer.alloc(8))), /unsupported \.npy dtype <c8/)
    assert.throws(() => decodeNpy(npy('<f4', '(4,)', Buffer.alloc(8))), /truncated \.npy/)
    assert.throws(() => decodeNpy(Buffer.from('PK\x03\x04 not numpy')), /bad magic/)
  })

  it('image shapes: (H, W), (H, W, 1), (1, H, W); anything else is refused', () => {
    assert.deepEqual(imageShape([30, 40], 'x'), {width: 40, height: 30})
    assert.deepEqual(imageShape([30, 40, 1], 'x'), {width: 40, height: 30})
    assert.deepEqual(imageShape([1, 30, 40], 'x'), {width: 40, height: 30})
    assert.throws(() => imageShape([30, 40, 3], 'x'), /expected an H×W array, got shape \(30, 40, 3\)/)
  })
})

describe('Sintel .dpt and ETH3D raw', () => {
  it('.dpt: tag, width, height, then row-major float32', () => {
    const buf = Buffer.alloc(12 + 6 * 4)
    buf.writeFloatLE(202021.25, 0)
    buf.writeInt32LE(3, 4)
    buf.writeInt32LE(2, 8)
    ;[1, 2, 3, 4, 5, 6].forEach((v, i) => buf.writeFloatLE(v / 4, 12 + i * 4))
    assert.deepEqual(decodeSintelDpt(buf), {width: 3, height: 2, depth: Float32Array.from([0.25, 0.5, 0.75, 1, 1.25, 1.5])})
    const wrongTag = Buffer.from(buf)
    wrongTag.writeFloatLE(1, 0)
    assert.throws(() => decodeSintelDpt(wrongTag), /not a Sintel \.dpt file \(tag 1/)
    assert.throws(() => decodeSintelDpt(buf.subarray(0, 20)), /truncated \.dpt file: 3×2 needs 36 bytes, got 20/)
  })

  it('ETH3D: headerless float32 of exactly W·H values', () => {
    const buf = Buffer.alloc(8)
    buf.writeFloatLE(2.5, 0)
    buf.writeFloatLE(Infinity, 4)
    assert.deepEqual([...decodeEth3dDepth(buf, 2, 1)], [2.5, Infinity])
    assert.throws(() => decodeEth3dDepth(buf, 3, 1), /8 bytes does not match its 3×1 image \(12 bytes/)
  })
})

describe('PNG and PFM ground truth', () => {
  it('16-bit PNG values kept exactly; an 8-bit PNG is refused as depth', async () => {
    const values = Uint16Array.from([0, 1, 256, 65535, 1000, 4242])
    await writePng16(join(root, 'd.png'), values, 3, 2)
    assert.deepEqual([...(await readPng16(join(root, 'd.png'))).values], [...values])
    assert.deepEqual(
      [...(await readDepthFile(join(root, 'd.png'), 'png16', 1000)).depth],
      [...values].map((v) => Math.fround(v / 1000)),
    )
    await sharp(Buffer.from([1, 2, 3, 4]), {raw: {width: 2, height: 2, channels: 1}})
      .toColourspace('b-w')
      .png()
      .toFile(join(root, 'eight.png'))
    await assert.rejects(readPng16(join(root, 'eight.png')), /expected a 16-bit depth PNG, got 8 bits/)
    assert.deepEqual([...(await readLabelPng(join(root, 'eight.png'))).values], [1, 2, 3, 4])
  })

  it('label PNGs in colour are refused (colours are not class ids)', async () => {
    await sharp(Buffer.alloc(12, 7), {raw: {width: 2, height: 2, channels: 3}})
      .png()
      .toFile(join(root, 'rgb.png'))
    await assert.rejects(readLabelPng(join(root, 'rgb.png')), /single-channel \(greyscale\) label PNG, got 3 channels/)
  })

  it('PFM: top row first, divided by the scale given', async () => {
    writePfm(join(root, 'd.pfm'), Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2)
    const gt = await readDepthFile(join(root, 'd.pfm'), 'pfm', 2)
    assert.deepEqual({w: gt.width, h: gt.height, d: [...gt.depth]}, {w: 3, h: 2, d: [0.5, 1, 1.5, 2, 2.5, 3]})
  })
})
