/**
 * Tiny datasets in every layout dpt eval reads, written into a temp folder by the tests: small RGB images,
 * ground truth with known values (16-bit PNG, npy, PFM, Sintel .dpt, ETH3D raw float32, label PNG).
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import sharp from 'sharp'
import {encodeNpy} from '../../../src/formats/npy.js'
import {encodePfm} from '../../../src/formats/pfm.js'

export const W = 40
export const H = 30

const ensure = (path: string): string => {
  mkdirSync(dirname(path), {recursive: true})
  return path
}

/** A smooth colour image that differs per seed. */
export async function writeRgb(path: string, seed: number, width = W, height = H): Promise<void> {
  const px = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      px[i] = (x * 6 + seed * 40) % 256
      px[i + 1] = (y * 8 + seed * 20) % 256
      px[i + 2] = ((x + y) * 3 + seed * 70) % 256
    }
  }
  const image = sharp(px, {raw: {width, height, channels: 3}})
  await (path.toLowerCase().endsWith('.png') ? image.png() : image.jpeg({quality: 95})).toFile(ensure(path))
}

/** Depth in metres that varies over the frame: 1 + x/width + y/height + seed/4 (between 1 and ~4). */
export function depthValues(seed: number, width = W, height = H): Float32Array {
  const out = new Float32Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = 1 + x / width + y / height + seed / 4
  return out
}

export async function writePng16(path: string, values: Uint16Array, width = W, height = H): Promise<void> {
  await sharp(values, {raw: {width, height, channels: 1, premultiplied: false}})
    .toColourspace('grey16')
    .png()
    .toFile(ensure(path))
}

/** Depth × scale as a 16-bit PNG (rounded), with pixel 0 left at 0 (no depth). */
export async function writeDepthPng(path: string, depth: Float32Array, scale: number, width = W, height = H): Promise<Uint16Array> {
  const values = Uint16Array.from(depth, (d) => Math.round(d * scale))
  values[0] = 0
  await writePng16(path, values, width, height)
  return values
}

export async function writeLabels(path: string, labels: Uint8Array, width = W, height = H): Promise<void> {
  await sharp(labels, {raw: {width, height, channels: 1}})
    .toColourspace('b-w')
    .png()
    .toFile(ensure(path))
}

export function writeNpy(path: string, data: Float32Array, shape: number[]): void {
  writeFileSync(ensure(path), encodeNpy(data, shape))
}

export function writePfm(path: string, data: Float32Array, width = W, height = H): void {
  writeFileSync(ensure(path), encodePfm(data, width, height))
}

export function writeSintelDpt(path: string, data: Float32Array, width = W, height = H): void {
  const buf = Buffer.alloc(12 + data.length * 4)
  buf.writeFloatLE(202021.25, 0)
  buf.writeInt32LE(width, 4)
  buf.writeInt32LE(height, 8)
  data.forEach((v, i) => buf.writeFloatLE(v, 12 + i * 4))
  writeFileSync(ensure(path), buf)
}

export function writeEth3dRaw(path: string, data: Float32Array): void {
  const buf = Buffer.alloc(data.length * 4)
  data.forEach((v, i) => buf.writeFloatLE(v, i * 4))
  writeFileSync(ensure(path), buf)
}

/** ADE-style labels: ids 0..3 in bands, so id 0 ("other") is present and ignored. */
export function labelValues(seed: number, width = W, height = H): Uint8Array {
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = (Math.floor(x / 10) + seed) % 4
  return out
}

/** ADEChallengeData2016 with 3 validation images; the third has no annotation. */
export async function makeAde20k(root: string): Promise<string> {
  const base = join(root, 'ADEChallengeData2016')
  for (let i = 1; i <= 3; i++) {
    const name = `ADE_val_0000000${i}`
    await writeRgb(join(base, 'images', 'validation', `${name}.jpg`), i)
    if (i < 3) await writeLabels(join(base, 'annotations', 'validation', `${name}.png`), labelValues(i))
  }
  await writeRgb(join(base, 'images', 'training', 'ADE_train_00000001.jpg'), 9)
  await writeLabels(join(base, 'annotations', 'training', 'ADE_train_00000001.png'), labelValues(9))
  return base
}

/** NYU, BTS layout: two scenes, mm depth PNGs; the last frame has none. */
export async function makeNyu(root: string): Promise<{depth: Map<string, Uint16Array>}> {
  const depth = new Map<string, Uint16Array>()
  const frames = [
    ['kitchen_0004', '00001'],
    ['kitchen_0004', '00002'],
    ['office_0005', '00009'],
  ] as const
  for (const [k, [scene, frame]] of frames.entries()) {
    const dir = join(root, 'official_splits', 'test', scene)
    await writeRgb(join(dir, `rgb_${frame}.jpg`), k)
    if (k < 2) depth.set(`${scene}/rgb_${frame}.jpg`, await writeDepthPng(join(dir, `sync_depth_${frame}.png`), depthValues(k), 1000))
  }
  return {depth}
}

/** KITTI Eigen list in BTS format: two frames with GT (date folder present), one listed as None. */
export async function makeKittiEigen(root: string): Promise<void> {
  const drive = '2011_09_26_drive_0002_sync'
  const list: string[] = []
  for (const [k, frame] of ['0000000069', '0000000054', '0000000075'].entries()) {
    const image = `${drive}/image_02/data/${frame}.png`
    await writeRgb(join(root, '2011_09_26', image), k)
    const gt = `${drive}/proj_depth/groundtruth/image_02/${frame}.png`
    if (k < 2) await writeDepthPng(join(root, 'data_depth_annotated', k === 0 ? 'train' : 'val', gt), depthValues(k), 256)
    list.push(`${image} ${k < 2 ? gt : 'None'} 721.5377`)
  }
  writeFileSync(join(root, 'eigen_test_files_with_gt.txt'), list.join('\n') + '\n')
}

export async function makeKittiSelection(root: string): Promise<void> {
  const base = join(root, 'depth_selection', 'val_selection_cropped')
  for (const [k, frame] of ['0000000005', '0000000006'].entries()) {
    await writeRgb(join(base, 'image', `2011_09_26_drive_0002_sync_image_${frame}_image_02.png`), k)
    await writeDepthPng(join(base, 'groundtruth_depth', `2011_09_26_drive_0002_sync_groundtruth_depth_${frame}_image_02.png`), depthValues(k), 256)
  }
  mkdirSync(join(base, 'intrinsics'), {recursive: true})
}

/** DIODE: one indoor and one outdoor scan; the mask marks the left half invalid for the outdoor one. */
export async function makeDiode(root: string): Promise<void> {
  for (const [k, part] of ['indoors', 'outdoor'].entries()) {
    const stem = join(root, 'val', part, 'scene_00019', 'scan_00183', `00019_00183_${part}_000_010`)
    await writeRgb(`${stem}.png`, k)
    writeNpy(`${stem}_depth.npy`, depthValues(k), [H, W, 1])
    const mask = new Float32Array(W * H).fill(1)
    if (k === 1) for (let y = 0; y < H; y++) for (let x = 0; x < W / 2; x++) mask[y * W + x] = 0
    writeNpy(`${stem}_depth_mask.npy`, mask, [H, W])
  }
}

/** ETH3D: one scene, two DSLR frames, raw float32 GT with inf holes. */
export async function makeEth3d(root: string): Promise<void> {
  for (const [k, name] of ['DSC_0286.JPG', 'DSC_0287.JPG'].entries()) {
    await writeRgb(join(root, 'courtyard', 'images', 'dslr_images', name), k)
    const depth = depthValues(k)
    depth[5] = Infinity
    writeEth3dRaw(join(root, 'courtyard', 'ground_truth_depth', 'dslr_images', name), depth)
  }
}

export async function makeSintel(root: string): Promise<void> {
  for (const [k, name] of ['frame_0001', 'frame_0002'].entries()) {
    await writeRgb(join(root, 'training', 'final', 'alley_1', `${name}.png`), k)
    await writeRgb(join(root, 'training', 'clean', 'alley_1', `${name}.png`), k + 5)
    writeSintelDpt(join(root, 'training', 'depth', 'alley_1', `${name}.dpt`), depthValues(k))
  }
}

/** TUM: one sequence with rgb.txt / depth.txt and no associations file (paired by timestamp). */
export async function makeTum(root: string): Promise<void> {
  const seq = join(root, 'rgbd_dataset_freiburg1_desk')
  const rgb = ['1305031452.791720', '1305031452.823674']
  const depth = ['1305031452.797665', '1305031452.826183', '1305031453.5']
  for (const [k, t] of rgb.entries()) await writeRgb(join(seq, 'rgb', `${t}.png`), k)
  for (const [k, t] of depth.entries()) await writeDepthPng(join(seq, 'depth', `${t}.png`), depthValues(k), 5000)
  writeFileSync(join(seq, 'rgb.txt'), `# color images\n${rgb.map((t) => `${t} rgb/${t}.png`).join('\n')}\n`)
  writeFileSync(join(seq, 'depth.txt'), `# depth maps\n${depth.map((t) => `${t} depth/${t}.png`).join('\n')}\n`)
}

/** An image folder and a mirrored GT folder in the given format (metres × scale for png16). */
export async function makeFolder(root: string, format: 'png16' | 'npy' | 'pfm' | 'dpt' | 'labels', scale = 1000): Promise<void> {
  const names = ['a/x', 'a/y', 'b/z']
  for (const [k, name] of names.entries()) {
    await writeRgb(join(root, 'images', `${name}.jpg`), k)
    if (k === 2) continue
    const gt = join(root, 'gt', name)
    const depth = depthValues(k)
    if (format === 'png16') await writeDepthPng(`${gt}.png`, depth, scale)
    else if (format === 'npy') writeNpy(`${gt}.npy`, depth, [H, W])
    else if (format === 'pfm') writePfm(`${gt}.pfm`, depth)
    else if (format === 'dpt') writeSintelDpt(`${gt}.dpt`, depth)
    else await writeLabels(`${gt}.png`, labelValues(k))
  }
}
