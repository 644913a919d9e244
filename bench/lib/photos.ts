import {existsSync, mkdirSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import sharp from 'sharp'
import {benchCache, repoRoot} from './paths.js'

/** 1080p and larger, landscape and portrait: the sizes cameras and phones write. */
export const MIXED_SIZES: readonly [number, number][] = [
  [1920, 1080],
  [2560, 1440],
  [1080, 1920],
  [2048, 1536],
  [4032, 3024],
  [3840, 2160],
]

/**
 * N photo-like JPEGs, made from the committed CC0 photographs (scaled, cropped, flipped, with sensor-like grain
 * so the JPEG entropy is that of a photograph), cached between runs. Sizes cycle through `sizes`: by default the
 * 1080p-to-12-MP mix (folder photos-N); any other list gets its own folder (photos-1920x1080-N).
 */
export async function ensurePhotos(count: number, sizes: readonly [number, number][] = MIXED_SIZES): Promise<string> {
  const name = sizes === MIXED_SIZES ? `photos-${count}` : `photos-${sizes.map(([w, h]) => `${w}x${h}`).join('-')}-${count}`
  const dir = join(benchCache, name)
  if (existsSync(dir) && readdirSync(dir).length === count) return dir
  mkdirSync(dir, {recursive: true})
  const sourcesDir = join(repoRoot, 'test', 'fixtures', 'images')
  const sources = readdirSync(sourcesDir)
    .filter((f) => /^(astronaut|chelsea|coffee)-.*\.png$/.test(f))
    .map((f) => join(sourcesDir, f))
  if (sources.length === 0) throw new Error(`no source photographs in ${sourcesDir}`)
  for (let i = 0; i < count; i++) {
    const [width, height] = sizes[i % sizes.length]!
    const source = sources[i % sources.length]!
    const grain = Buffer.alloc(width * height)
    let seed = 1 + i
    for (let p = 0; p < grain.length; p++) {
      seed = (seed * 1664525 + 1013904223) >>> 0
      grain[p] = 118 + ((seed >>> 24) % 21)
    }
    const base = sharp(source)
      .resize(width, height, {fit: 'cover', position: i % 5})
      .flop(i % 2 === 1)
    const grainPng = await sharp(grain, {raw: {width, height, channels: 1}})
      .png()
      .toBuffer()
    await base
      .composite([{input: grainPng, blend: 'overlay'}])
      .jpeg({quality: 90})
      .toFile(join(dir, `photo-${String(i).padStart(4, '0')}-${width}x${height}.jpg`))
  }
  return dir
}
