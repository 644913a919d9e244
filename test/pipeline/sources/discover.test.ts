import assert from 'node:assert/strict'
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {discover as discoverAll, type DiscoverOptions} from '../../../src/pipeline/sources/discover.js'
import {argumentInputs} from '../../../src/pipeline/sources/inputs.js'

/** The files of arguments only (lists and --base have their own tests). */
const discover = async (patterns: string[], cwd: string, options?: DiscoverOptions) => (await discoverAll(argumentInputs(patterns), cwd, options)).files

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'dpt-discover-'))
  for (const f of files) {
    mkdirSync(join(root, f, '..'), {recursive: true})
    writeFileSync(join(root, f), 'x')
  }
  return root
}

describe('discover', () => {
  it('mirrors paths below the common base of several inputs so equal names never collide', async () => {
    const root = tree(['a/x.jpg', 'b/x.jpg', 'b/sub/y.png'])
    const files = await discover(['a', 'b'], root)
    assert.deepEqual(
      files.map((f) => [f.relPath, f.outStem]),
      [
        ['a/x.jpg', 'a/x'],
        ['b/sub/y.png', 'b/sub/y'],
        ['b/x.jpg', 'b/x'],
      ],
    )
  })

  it('uses the folder itself as base for one folder, and the static part of a glob', async () => {
    const root = tree(['imgs/p/1.jpg', 'imgs/2.png', 'imgs/notes.txt'])
    assert.deepEqual(
      (await discover(['imgs'], root)).map((f) => f.relPath),
      ['2.png', 'notes.txt', 'p/1.jpg'],
    )
    assert.deepEqual(
      (await discover(['imgs/**/*.jpg'], root)).map((f) => f.relPath),
      ['p/1.jpg'],
    )
  })

  it('keeps the extension only where two inputs would share an output stem', async () => {
    const root = tree(['d/x.jpg', 'd/x.png', 'd/y.png'])
    assert.deepEqual(
      (await discover(['d'], root)).map((f) => f.outStem),
      ['x.jpg', 'x.png', 'y'],
    )
  })

  it('lists each file once, sorted, and never reads the output directory', async () => {
    const root = tree(['d/b.png', 'd/a.png', 'd/out/a.png'])
    const files = await discover(['d', 'd/a.png'], root, {exclude: join(root, 'd', 'out')})
    assert.deepEqual(
      files.map((f) => f.relPath),
      ['a.png', 'b.png'],
    )
  })

  it('splits into deterministic, disjoint shards that cover every file', async () => {
    const root = tree(Array.from({length: 10}, (_, i) => `s/${String(i).padStart(2, '0')}.png`))
    const all = (await discover(['s'], root)).map((f) => f.relPath)
    const shards = await Promise.all([1, 2, 3].map(async (index) => (await discover(['s'], root, {shard: {index, count: 3}})).map((f) => f.relPath)))
    assert.deepEqual(shards[0], ['00.png', '03.png', '06.png', '09.png'])
    assert.deepEqual(shards.flat().sort(), all)
  })

  it('says which input does not exist', async () => {
    const root = tree(['a.png'])
    await assert.rejects(discover(['missing'], root), /Input not found: missing/)
  })
})
