import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import zlib from 'node:zlib'

import sharp from 'sharp'

import {wasmKernels, type WasmKernels} from '../helpers/wasm.js'
import {minMaxFinite, toUint16Reference} from '../../src/kernels/depth-scale.js'
import {encodePng16} from '../../src/formats/png16.js'
import {random} from '../helpers/random.js'

// deflate.c writes the 16-bit PNGs' zlib streams. Node's zlib inflates them here: it checks the header, every
// block, the Huffman codes (an over-subscribed or incomplete one is an error) and the Adler-32.

const BLOCK = 65535

const kernels = (): WasmKernels => wasmKernels()

function roundTrip(k: WasmKernels, data: Uint8Array, label: string): Uint8Array {
  const stream = Buffer.from(k.zlib(data))
  assert.deepEqual([stream[0], stream[1]], [0x78, 0x01], `${label}: zlib header`)
  const back = zlib.inflateSync(stream)
  assert.ok(back.equals(data), `${label}: ${back.length} bytes back of ${data.length}`)
  return stream
}

/** Byte generators of different statistics: noise, runs of every length, skewed and sparse alphabets. */
function shapes(seed: number, n: number): [string, Uint8Array][] {
  const next = random(seed)
  const byte = (): number => Math.floor(next() * 256)
  const runs = new Uint8Array(n)
  for (let i = 0; i < n;) {
    // Runs of 1 to 600 bytes: shorter than a match, exactly 3, 258 and over 258 (two matches) all occur.
    const length = [1, 2, 3, 4, 257, 258, 259, 517, Math.floor(next() * 600) + 1][Math.floor(next() * 9)]!
    runs.fill(byte(), i, i + length)
    i += length
  }
  return [
    ['zeros', new Uint8Array(n)],
    ['noise', Uint8Array.from({length: n}, byte)],
    ['runs', runs],
    ['sparse', Uint8Array.from({length: n}, () => (next() < 0.9 ? 0 : byte()))],
    ['two values', Uint8Array.from({length: n}, () => (next() < 0.5 ? 0 : 255))],
    ['small residuals', Uint8Array.from({length: n}, () => (Math.round((next() - 0.5) * 6) + 256) & 255)],
  ]
}

describe('WebAssembly deflate: zlib streams', () => {
  it('inflate to the input for sizes around the block length and data of every kind', () => {
    const k = kernels()
    for (const n of [0, 1, 2, 3, 4, 17, 18, 19, 20, 35, BLOCK - 1, BLOCK, BLOCK + 1, BLOCK + 18, 3 * BLOCK + 7]) {
      for (const [name, data] of shapes(n + 1, n)) roundTrip(k, data, `${name}, ${n} bytes`)
    }
  })

  it('store a block that does not compress, and code one that does in far fewer bytes', () => {
    const k = kernels()
    const [, noise] = shapes(5, 4 * BLOCK)[1]!
    const stored = roundTrip(k, noise, 'noise')
    // Four stored blocks: 5 bytes each over the data, plus the zlib header and Adler-32.
    assert.equal(stored.length, noise.length + 4 * 5 + 2 + 4)
    assert.ok(roundTrip(k, new Uint8Array(4 * BLOCK), 'zeros').length < 4 * 100)
  })

  it('codes a skewed alphabet whose Huffman code would be deeper than 15 bits', () => {
    // Fibonacci counts give a code 21 deep; the lengths must be limited to 15 and stay a complete code.
    const fibonacci = [1, 1]
    while (fibonacci.length < 22) fibonacci.push(fibonacci.at(-1)! + fibonacci.at(-2)!)
    const next = random(3)
    const bytes = fibonacci.flatMap((count, symbol) => Array<number>(count).fill(symbol * 11))
    for (let i = bytes.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[bytes[i], bytes[j]] = [bytes[j]!, bytes[i]!]
    }
    roundTrip(kernels(), Uint8Array.from(bytes), 'Fibonacci counts')
  })

  it('is as small as zlib at level 1 with Z_RLE (within 1 %) on noise and on smooth depth rows', () => {
    const k = kernels()
    const w = 640
    const h = 480
    const next = random(9)
    const smooth = Float32Array.from({length: w * h}, (_, i) => {
      const x = (i % w) / w
      const y = Math.floor(i / w) / h
      return y < 0.2 ? 100 : 1 / (0.2 + y) + 0.3 * Math.sin(8 * x) * (x > 0.5 && y > 0.5 ? 1 : 0)
    })
    const noisy = Float32Array.from({length: w * h}, () => next())
    for (const [name, map] of [
      ['smooth', smooth],
      ['noise', noisy],
    ] as const) {
      const range = minMaxFinite(map)
      const rows = k.png16Rows(map, w, h, range).slice()
      const ours = roundTrip(k, rows, name).length
      const theirs = zlib.deflateSync(rows, {level: 1, strategy: zlib.constants.Z_RLE}).length
      assert.ok(ours <= theirs * 1.01, `${name}: ${ours} bytes against zlib's ${theirs}`)
    }
  })
})

describe('WebAssembly deflate: Huffman code lengths', () => {
  /** Σ 2^-length over the coded symbols: exactly 1 for a complete code (checked in integers at 2^limit). */
  const kraft = (lengths: number[], limit: number): number => lengths.reduce((sum, l) => sum + (l > 0 ? 2 ** (limit - l) : 0), 0)

  it('are complete, within the limit, never longer for a more frequent symbol, and code every counted symbol', () => {
    const k = kernels()
    const next = random(17)
    const cases: [string, number[], number][] = [
      ['one symbol', [0, 0, 5, 0], 15],
      ['none', [0, 0, 0], 7],
      ['two', [3, 0, 9], 15],
      ['uniform', Array<number>(286).fill(10), 15],
      ['Fibonacci, 15', Array.from({length: 30}, (_, i) => Math.round(1.618 ** i)), 15],
      ['Fibonacci, 7', Array.from({length: 19}, (_, i) => Math.round(1.618 ** i)), 7],
    ]
    for (let c = 0; c < 200; c++) {
      const n = c % 2 ? 19 : 286
      const limit = n === 19 ? 7 : 15
      const skew = 1 + next() * 20
      cases.push([`random ${c}`, Array.from({length: n}, () => (next() < 0.3 ? 0 : Math.floor(next() ** skew * 65536))), limit])
    }
    for (const [name, counts, limit] of cases) {
      const lengths = k.codeLengths(counts, limit)
      assert.ok(Math.max(...lengths) <= limit, `${name}: ${Math.max(...lengths)} bits`)
      assert.equal(kraft(lengths, limit), 2 ** limit, `${name}: complete`)
      assert.ok(lengths.filter((l) => l > 0).length >= 2, `${name}: two codes at least`)
      counts.forEach((count, s) => {
        if (count > 0) assert.ok(lengths[s]! > 0, `${name}: symbol ${s} is counted and has no code`)
        counts.forEach((other, t) => {
          if (count > other && other > 0) assert.ok(lengths[s]! <= lengths[t]!, `${name}: ${s} (${count}×) longer than ${t} (${other}×)`)
        })
      })
    }
  })
})

describe('WebAssembly png16', () => {
  it("is a PNG of the TypeScript path's pixels, with one IDAT and valid CRCs", async () => {
    const k = kernels()
    const next = random(23)
    for (const [w, h] of [
      [1, 1],
      [61, 45],
      [300, 230],
    ] as const) {
      const depth = Float32Array.from({length: w * h}, (_, i) => (i % 7 === 0 ? 5 : next() * 10))
      const range = {min: 0, max: 10}
      const file = Buffer.concat(k.png16(depth, w, h, range))
      const expected = toUint16Reference(depth, range.min, range.max)
      const {data, info} = await sharp(file).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer({resolveWithObject: true})
      assert.deepEqual([info.width, info.height, info.channels], [w, h, 1])
      assert.deepEqual(new Uint16Array(data.buffer, data.byteOffset, w * h), expected, `${w}×${h}`)
      // The same pixels as the TypeScript path's file (zlib's stream), whose bytes differ.
      const typescript = await sharp(await encodePng16(expected, w, h))
        .toColourspace('grey16')
        .raw({depth: 'ushort'})
        .toBuffer()
      assert.ok(typescript.equals(data))
    }
  })

  it('after upsampleBicubic(…, true), without growing memory: the map stays valid', () => {
    const k = kernels()
    const src = Float32Array.from({length: 16 * 12}, (_, i) => Math.sin(i))
    const {depth, range} = k.upsampleBicubic(src, 16, 12, 400, 300, true)
    const before = depth.slice()
    const parts = k.png16(depth, 400, 300, range)
    assert.equal(parts[1]!.buffer, depth.buffer, 'the stream is in the same memory')
    assert.deepEqual(depth, before)
  })
})
