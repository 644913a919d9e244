import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import sharp from 'sharp'
import {discover} from '../pipeline/sources/discover.js'
import {describeInputs, inputArgs, type InputSpec} from '../pipeline/sources/inputs.js'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {type Size} from '../pipeline/sample.js'

/** Parses `640x480,1920x1080` (W×H). */
export function parseSizes(value: string): Size[] {
  const sizes = value.split(',').map((part) => {
    const match = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/.exec(part)
    const width = Number(match?.[1])
    const height = Number(match?.[2])
    if (match === null || width < 1 || height < 1) {
      throw new DptError(`Expected --sizes to be comma-separated WIDTHxHEIGHT, got \`${value}\``, {
        exitCode: ExitCode.usage,
        remedy: 'For example --sizes 640x480,1920x1080.',
      })
    }
    return {width, height}
  })
  return sizes
}

/**
 * Writes `count` photo-like JPEGs cycling through `sizes`: a smooth colour gradient under sensor-like grain, so that
 * decoding costs what a camera JPEG of that size costs (entropy, not content, decides it). Deterministic per
 * index, so two runs of the benchmark read the same bytes.
 */
export async function generateImages(dir: string, count: number, sizes: readonly Size[]): Promise<string[]> {
  await mkdir(dir, {recursive: true})
  const files: string[] = []
  for (let i = 0; i < count; i++) {
    const {width, height} = sizes[i % sizes.length]!
    const gradient = Buffer.alloc(width * height * 3)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const o = (y * width + x) * 3
        gradient[o] = (x * 255) / width
        gradient[o + 1] = (y * 255) / height
        gradient[o + 2] = (((x + y + i * 37) * 255) / (width + height)) % 256
      }
    }
    const grain = Buffer.alloc(width * height)
    let seed = 1 + i
    for (let p = 0; p < grain.length; p++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
      grain[p] = 104 + ((seed >>> 24) % 49)
    }
    const grainPng = await sharp(grain, {raw: {width, height, channels: 1}})
      .png({compressionLevel: 1})
      .toBuffer()
    const file = join(dir, `bench-${String(i).padStart(5, '0')}-${width}x${height}.jpg`)
    await sharp(gradient, {raw: {width, height, channels: 3}})
      .composite([{input: grainPng, blend: 'overlay'}])
      .jpeg({quality: 90})
      .toFile(file)
    files.push(file)
  }
  return files
}

/** The images a benchmark reads: the first `count` images among the inputs (sorted), or generated ones. */
export interface BenchInputs {
  readonly files: readonly string[]
  readonly source: {readonly kind: 'files'; readonly inputs: readonly string[]} | {readonly kind: 'generated'; readonly sizes: readonly Size[]}
}

export async function benchInputs(
  inputs: InputSpec,
  options: {count: number | undefined; sizes: readonly Size[]; scratch: string; cwd: string},
): Promise<BenchInputs & {readonly warnings: readonly string[]}> {
  if (inputs.patterns.length === 0 && inputs.lists.length === 0) {
    const files = await generateImages(join(options.scratch, 'images'), options.count ?? 20, options.sizes)
    return {files, source: {kind: 'generated', sizes: options.sizes}, warnings: []}
  }
  const {files: found, warnings} = await discover(inputs, options.cwd)
  if (found.length === 0) {
    throw new DptError(`No files found in ${describeInputs(inputs)}`, {
      exitCode: ExitCode.noInputs,
      remedy: 'Give image folders, files or quoted globs, or no input to benchmark generated images (--sizes).',
    })
  }
  // The first N that are images (by content, as the pipeline decides), so skipped files do not shrink the sample.
  const files: string[] = []
  for (const file of found) {
    if (options.count !== undefined && files.length >= options.count) break
    const isImage = await sharp(file.path)
      .metadata()
      .then(() => true)
      .catch(() => false)
    if (isImage) files.push(file.path)
  }
  if (files.length === 0) throw new DptError(`No images among the ${found.length} file(s) in ${describeInputs(inputs)}`, {exitCode: ExitCode.noInputs})
  return {files, source: {kind: 'files', inputs: inputArgs(inputs)}, warnings}
}
