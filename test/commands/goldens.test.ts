/**
 * Parity with the reference: every golden set of test/fixtures/goldens/manifest.json (made by
 * tools/make_fixtures.py from the Python reference and the Hugging Face pipeline) run through the CLI on the
 * exported ONNX models. Float depth comes from the PyTorch forward: within 1e-4 of the golden's range. 16-bit PNGs,
 * PFMs and label maps come from the same reference code with the ONNX graph run by Python onnxruntime 1.30.0 (the
 * network then is not in question, only our pre/post-processing): PNG within ±1, label maps identical.
 * The Python reference reads 16-bit images with all 16 bits (tools/dpt_tools/reference.py), which dpt does with
 * --keep-16bit: those entries run with it (the default, the high byte, is tested against cv2 and Pillow in
 * test/commands/input16.test.ts).
 */
import assert from 'node:assert/strict'
import {mkdtempSync, mkdirSync, readFileSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import sharp from 'sharp'
import {decodeNpyFloat32} from '../../src/formats/npy.js'
import {decodePfm} from '../../src/formats/pfm.js'
import {runCli} from '../helpers/cli.js'
import {fixture, readNpy} from '../helpers/fixtures.js'

interface Entry {
  image: string
  stem: string
  originalSize: [number, number]
  inputSize: [number, number]
  depthMin?: number
  depthMax?: number
  files: {depth?: string; png16?: string; pfm?: string; labels?: string}
}
interface GoldenSet {
  model: string
  card: string | null
  task: 'depth' | 'segmentation'
  semantics: 'reference' | 'huggingface'
  entries: Entry[]
}

interface Summary {
  images: {input: string; originalSize: {width: number; height: number}; networkSize: {width: number; height: number}}[]
}

const manifest = JSON.parse(readFileSync(fixture('goldens', 'manifest.json'), 'utf8')) as {sets: Record<string, GoldenSet>}

async function grey16(path: string): Promise<Uint16Array> {
  const data = await sharp(path).toColourspace('grey16').raw({depth: 'ushort'}).toBuffer()
  return new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
}

async function labelsOf(path: string): Promise<Uint8Array> {
  if (path.endsWith('.npy')) return readNpy(path).data as Uint8Array
  return new Uint8Array(await sharp(path).toColourspace('b-w').raw().toBuffer())
}

/** A 16-bit PNG: IHDR's bit depth (the fixture images are PNGs and one JPEG). */
const sixteenBit = (entry: Entry): boolean => {
  const head = readFileSync(fixture(entry.image)).subarray(0, 25)
  return head.toString('latin1', 12, 16) === 'IHDR' && head[24] === 16
}

/** Images linked into one folder so one CLI run covers them. */
function inputFolder(entries: readonly Entry[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dpt-golden-in-'))
  for (const entry of entries) symlinkSync(fixture(entry.image), join(dir, entry.image.split('/').pop()!))
  return dir
}

for (const [name, set] of Object.entries(manifest.sets)) {
  describe(`goldens: ${name} (${set.semantics} semantics)`, () => {
    const out = mkdtempSync(join(tmpdir(), `dpt-golden-${name}-`))
    mkdirSync(out, {recursive: true})
    const card = set.card === null ? [] : ['--card', fixture(set.model, set.card)]
    const args =
      set.task === 'depth'
        ? ['depth', '--format', 'npy,png16,pfm']
        : ['segment', '--format', 'labels', '--label-offset', set.semantics === 'reference' ? '1' : '0']
    const runOf = async (entries: Entry[], extra: string[]) => {
      if (entries.length === 0) return {code: 0, stdout: '{"images": []}', stderr: ''}
      return runCli([...args, inputFolder(entries), '-o', out, '--model', fixture(set.model), ...card, '--json', ...extra])
    }
    // One after the other: the 8-bit images as they are, the 16-bit ones as the Python reference reads them.
    const run = (async () => {
      const a = await runOf(
        set.entries.filter((e) => !sixteenBit(e)),
        [],
      )
      const b = await runOf(set.entries.filter(sixteenBit), ['--keep-16bit'])
      const images = [...(JSON.parse(a.stdout) as Summary).images, ...(JSON.parse(b.stdout) as Summary).images]
      return {code: a.code === 0 ? b.code : a.code, stderr: a.stderr + b.stderr, images}
    })()

    it('runs every image with the reference network input size', async () => {
      const r = await run
      assert.equal(r.code, 0, r.stderr)
      for (const entry of set.entries) {
        const record = r.images.find((i) => i.input.endsWith(`/${entry.image.split('/').pop()}`))
        assert.ok(record, entry.stem)
        assert.deepEqual([record.originalSize.width, record.originalSize.height], entry.originalSize, entry.stem)
        assert.deepEqual([record.networkSize.width, record.networkSize.height], entry.inputSize, entry.stem)
      }
    })

    for (const entry of set.entries) {
      it(entry.stem, async () => {
        assert.equal((await run).code, 0)
        const stem = entry.image
          .split('/')
          .pop()!
          .replace(/\.[^.]+$/, '')
        if (set.task === 'segmentation') {
          const ours = await labelsOf(join(out, `${stem}.png`))
          const golden = await labelsOf(fixture('goldens', name, entry.files.labels!))
          assert.equal(ours.length, golden.length)
          const differing = ours.reduce((n, v, i) => n + (v === golden[i] ? 0 : 1), 0)
          assert.equal(differing, 0, `${differing} of ${ours.length} labels differ`)
          return
        }
        const golden = readNpy(fixture('goldens', name, entry.files.depth!)).data as Float32Array
        const ours = decodeNpyFloat32(readFileSync(join(out, `${stem}.npy`))).data
        assert.equal(ours.length, golden.length)
        // A one-pixel image has no range: there the tolerance is 1e-4 absolute (these models' ranges are 2 to 6).
        const range = Math.max(entry.depthMax! - entry.depthMin!, 1)
        let worst = 0
        for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - golden[i]!))
        assert.ok(worst <= 1e-4 * range, `max |Δ| ${worst} > 1e-4 × range ${range}`)
        const png = await grey16(join(out, `${stem}.png`))
        const goldenPng = await grey16(fixture('goldens', name, entry.files.png16!))
        let worstPng = 0
        for (let i = 0; i < png.length; i++) worstPng = Math.max(worstPng, Math.abs(png[i]! - goldenPng[i]!))
        assert.ok(worstPng <= 1, `16-bit PNG differs by ${worstPng}`)
        if (entry.files.pfm !== undefined) {
          const ref = readFileSync(fixture('goldens', name, entry.files.pfm))
          const mine = readFileSync(join(out, `${stem}.pfm`))
          const header = (b: Buffer): string => b.subarray(0, b.length - golden.length * 4).toString('latin1')
          assert.equal(header(mine), header(ref))
          const a = decodePfm(mine).data
          const b = decodePfm(ref).data
          for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-4 * range)
        }
      })
    }
  })
}
