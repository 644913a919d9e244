import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {after, describe, it} from 'node:test'

import {outputExists, pendingTempFiles, removePendingTempFiles, removePendingTempFilesSync, writeFileAtomic} from '../../../src/pipeline/sinks/atomic.js'

const root = mkdtempSync(join(tmpdir(), 'dpt-atomic-'))
after(() => {
  rmSync(root, {recursive: true, force: true})
})

let count = 0
const freshDir = (): string => {
  const dir = join(root, `case-${count++}`)
  mkdirSync(dir)
  return dir
}

/** Polls until `write`'s temp file exists on disk; false when the write finished first. */
async function tempFileSeen(write: Promise<void>): Promise<boolean> {
  const state = {done: false}
  void write.then(
    () => (state.done = true),
    () => (state.done = true),
  )
  while (!state.done) {
    const [temp] = pendingTempFiles()
    if (temp !== undefined && existsSync(temp)) return true
    await new Promise((resolve) => setImmediate(resolve))
  }
  return false
}

describe('writeFileAtomic', () => {
  it('creates parent directories, writes the bytes and leaves no temp file', async () => {
    const dir = freshDir()
    const target = join(dir, 'a', 'b', 'out.png')
    await writeFileAtomic(target, Uint8Array.of(1, 2, 3))
    assert.deepEqual([...readFileSync(target)], [1, 2, 3])
    assert.deepEqual(readdirSync(dirname(target)), ['out.png'])
    assert.deepEqual(pendingTempFiles(), [])
  })

  it('writes parts one after the other', async () => {
    const target = join(freshDir(), 'parts.png')
    const big = Uint8Array.from({length: 300_000}, (_, i) => i % 251)
    await writeFileAtomic(target, [Uint8Array.of(1, 2), new Uint8Array(0), big, Buffer.from('end')])
    assert.deepEqual(readFileSync(target), Buffer.concat([Uint8Array.of(1, 2), big, Buffer.from('end')]))
  })

  it('replaces an existing file', async () => {
    const target = join(freshDir(), 'out.pfm')
    writeFileSync(target, 'old')
    await writeFileAtomic(target, Buffer.from('new'))
    assert.equal(readFileSync(target, 'utf8'), 'new')
  })

  it('registers a dot-prefixed temp file next to the target while writing', async () => {
    const target = join(freshDir(), 'depth.npy')
    const write = writeFileAtomic(target, new Uint8Array(1 << 20))
    const [temp] = pendingTempFiles()
    assert.ok(temp !== undefined)
    assert.equal(dirname(temp), dirname(target))
    assert.match(basename(temp), new RegExp(`^\\.depth\\.npy\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`))
    await write
    assert.deepEqual(pendingTempFiles(), [])
  })

  it('on a rename failure removes the temp file, names the target and keeps the cause', async () => {
    const dir = freshDir()
    const target = join(dir, 'out.png')
    mkdirSync(join(target, 'occupied'), {recursive: true}) // a non-empty directory cannot be renamed over
    await assert.rejects(writeFileAtomic(target, Buffer.from('data')), (error: Error) => {
      assert.match(error.message, new RegExp(`^Could not write ${target.replaceAll(/[.\\]/g, '\\$&')}: `))
      assert.ok(['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes((error.cause as NodeJS.ErrnoException).code ?? ''))
      return true
    })
    assert.deepEqual(readdirSync(dir), ['out.png'])
    assert.deepEqual(readdirSync(target), ['occupied'])
    assert.deepEqual(pendingTempFiles(), [])
  })

  it('fails cleanly when the parent directory cannot be created', async () => {
    const dir = freshDir()
    writeFileSync(join(dir, 'file'), '')
    await assert.rejects(writeFileAtomic(join(dir, 'file', 'out.png'), Buffer.from('x')), /Could not write .*file.out\.png: E(NOTDIR|EXIST)/)
    assert.deepEqual(readdirSync(dir), ['file'])
    assert.deepEqual(pendingTempFiles(), [])
  })

  it('on a failure half-way through the data leaves neither target nor temp file', {skip: process.platform === 'win32'}, () => {
    // A file-size limit makes write() fail with EFBIG after 16 KiB (Node ignores SIGXFSZ).
    const dir = freshDir()
    const module = new URL('../../../src/pipeline/sinks/atomic.js', import.meta.url).href
    const script = `
      import {writeFileAtomic, pendingTempFiles} from ${JSON.stringify(module)}
      import {readdirSync} from 'node:fs'
      const dir = ${JSON.stringify(dir)}
      try {
        await writeFileAtomic(dir + '/big.npy', new Uint8Array(1 << 20))
        console.log(JSON.stringify({ok: true}))
      } catch (error) {
        console.log(JSON.stringify({message: error.message, code: error.cause?.code, pending: pendingTempFiles(), files: readdirSync(dir)}))
      }`
    const child = spawnSync('bash', ['-c', 'ulimit -f 16 && exec "$0" --input-type=module -e "$1"', process.execPath, script], {encoding: 'utf8'})
    assert.equal(child.status, 0, child.stderr)
    assert.deepEqual(JSON.parse(child.stdout), {message: `Could not write ${dir}/big.npy: EFBIG: file too large, write`, code: 'EFBIG', pending: [], files: []})
  })
})

describe('removing pending temp files', () => {
  for (const [label, remove] of [
    ['removePendingTempFiles', removePendingTempFiles],
    [
      'removePendingTempFilesSync',
      async () => {
        removePendingTempFilesSync()
      },
    ],
  ] as const) {
    it(`${label} deletes an in-flight temp file; that write then fails and its target never appears`, async () => {
      // Retry in the unlikely case a write completes before its temp file is seen.
      for (let attempt = 0; attempt < 5; attempt++) {
        const dir = freshDir()
        const target = join(dir, 'big.pfm')
        const write = writeFileAtomic(target, new Uint8Array(32 << 20))
        if (!(await tempFileSeen(write))) continue
        await remove()
        assert.deepEqual(pendingTempFiles(), [])
        await assert.rejects(write, /Could not write .*big\.pfm: ENOENT/)
        assert.deepEqual(readdirSync(dir), [])
        return
      }
      assert.fail('the temp file was never observed in flight')
    })
  }
})

describe('outputExists', () => {
  it('is true for a file, false for nothing, a directory or a path through a file', async () => {
    const dir = freshDir()
    writeFileSync(join(dir, 'f'), '')
    assert.equal(await outputExists(join(dir, 'f')), true)
    assert.equal(await outputExists(join(dir, 'missing')), false)
    assert.equal(await outputExists(dir), false)
    assert.equal(await outputExists(join(dir, 'f', 'below')), false)
  })
})
