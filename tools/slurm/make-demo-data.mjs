// Generated data for trying the Slurm recipes without a real dataset: `node tools/slurm/make-demo-data.mjs DIR [N]`
// writes DIR/images/NNN.jpg (N smooth, noisy photos of a few sizes) and DIR/gt/NNN.png (16-bit depth in mm,
// 0 = no depth on a border strip), a `dpt eval --dataset folder --gt-format png16 --gt-scale 1000` layout.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {deflateSync} from 'node:zlib'
import sharp from 'sharp'

const CRC = Array.from({length: 256}, (_, n) => {
  for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1
  return n >>> 0
})
const crc32 = (bytes) => (bytes.reduce((c, b) => CRC[(c ^ b) & 255] ^ (c >>> 8), ~0) ^ ~0) >>> 0

/** A 16-bit greyscale PNG (sharp writes 8 bits from raw input): unfiltered big-endian rows, one IDAT. */
function png16(depth, width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), body.length + 4)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([16, 0, 0, 0, 0], 8)
  const rows = Buffer.alloc(height * (1 + 2 * width))
  depth.forEach((v, i) => rows.writeUInt16BE(v, Math.floor(i / width) * (1 + 2 * width) + 1 + 2 * (i % width)))
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

const [dir, countText = '24'] = process.argv.slice(2)
if (dir === undefined) throw new Error('usage: node tools/slurm/make-demo-data.mjs DIR [N]')
const sizes = [
  [160, 120],
  [120, 160],
  [96, 64],
  [200, 113],
]
mkdirSync(join(dir, 'images'), {recursive: true})
mkdirSync(join(dir, 'gt'), {recursive: true})
let seed = 1
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24

for (let n = 0; n < Number(countText); n++) {
  const [width, height] = sizes[n % sizes.length]
  const rgb = Buffer.alloc(width * height * 3)
  const depth = new Uint16Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const near = (x / width + n / 7) % 1
      const i = y * width + x
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.min(255, 40 + 180 * near * (1 - c / 4) + 30 * random())
      depth[i] = y < 4 ? 0 : Math.round(1000 + 4000 * (1 - near))
    }
  }
  const name = String(n).padStart(3, '0')
  await sharp(rgb, {raw: {width, height, channels: 3}})
    .jpeg({quality: 90})
    .toFile(join(dir, 'images', `${name}.jpg`))
  writeFileSync(join(dir, 'gt', `${name}.png`), png16(depth, width, height))
}
