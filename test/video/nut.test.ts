import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {crc32, putS, putV, signedOf} from '../../src/video/nut-format.js'
import {NutReader} from '../../src/video/nut-read.js'
import {NutWriter} from '../../src/video/nut-write.js'

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

describe('NUT', () => {
  it('codes v and s as nut.txt does', () => {
    const v = (n: number): number[] => {
      const out: number[] = []
      putV(out, n)
      return out
    }
    assert.deepEqual(v(0), [0])
    assert.deepEqual(v(127), [127])
    assert.deepEqual(v(128), [0x81, 0])
    assert.deepEqual(v(2 ** 35 + 5), [0x81, 0x80, 0x80, 0x80, 0x80, 5])
    const s: number[] = []
    for (const x of [0, 1, -1, 2, -2]) putS(s, x)
    assert.deepEqual(s, [0, 1, 2, 3, 4])
    assert.deepEqual([0n, 1n, 2n, 3n, 4n].map(signedOf), [0n, 1n, -1n, 2n, -2n])
  })

  it('checksums with CRC-32 0x04C11DB7, MSB first, initial 0 (the bytes plus their checksum give 0)', () => {
    // CRC-32/POSIX (cksum) without its final inversion: its check value 0x765E7680, inverted.
    assert.equal(crc32(Buffer.from('123456789')), 0x89a1897f)
    const data = Buffer.from('nut/multimedia container')
    const c = crc32(data)
    assert.equal(crc32(Buffer.from([c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255]), c), 0)
  })

  it('reads back what it writes, in chunks of any size, with exact timestamps', async () => {
    const writer = new NutWriter({width: 3, height: 2, pixelFormat: 'rgb48le', timeBase: {num: 1001, den: 30000}, sampleAspect: {num: 4, den: 3}})
    const frames = [0, 1, 2, 5, 2 ** 40].map((pts, k) => ({pts, data: Uint8Array.from({length: writer.frameBytes}, (_, i) => (i * 7 + k) & 255)}))
    const parts = [writer.header()]
    for (const f of frames) parts.push(writer.frameHeader(f.pts, f.data.length), f.data)
    const bytes = Buffer.concat(parts)
    for (const size of [1, 7, 4096]) {
      const reader = new NutReader(chunks(bytes, size))
      await reader.readHeaders()
      const [stream] = reader.streams
      assert.deepEqual(
        [stream?.pixelFormat, stream?.width, stream?.height, stream?.timeBase, stream?.sampleAspect],
        ['rgb48le', 3, 2, {num: 1001, den: 30000}, {num: 4, den: 3}],
      )
      for (const f of frames) {
        const got = await reader.next()
        assert.deepEqual([got?.pts, got?.key, Buffer.from(got?.data ?? [])], [f.pts, true, Buffer.from(f.data)])
      }
      assert.equal(await reader.next(), undefined)
    }
  })

  it('rejects damaged headers and reports a stream cut inside a frame', async () => {
    const writer = new NutWriter({width: 2, height: 2, pixelFormat: 'gray', timeBase: {num: 1, den: 25}})
    const header = writer.header()
    const damaged = Uint8Array.from(header)
    damaged[header.length - 10]! ^= 1
    await assert.rejects(new NutReader(chunks(damaged, 64)).readHeaders(), /checksum mismatch/)
    const cut = Buffer.concat([header, writer.frameHeader(0, 4), Uint8Array.from([1, 2])])
    const reader = new NutReader(chunks(cut, 64))
    await reader.readHeaders()
    await assert.rejects(reader.next(), /stream ended inside a frame/)
  })
})
