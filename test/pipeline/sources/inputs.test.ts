/**
 * Inputs as Unix tools take them: lists on stdin (newline- or NUL-separated) and in @FILE, --base, globs that
 * ignore case, symlink cycles that end, and an output folder that is (or holds) an input folder.
 */
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {DptError, ExitCode} from '../../../src/pipeline/errors.js'
import {discover} from '../../../src/pipeline/sources/discover.js'
import {readInputs, splitList, type ListOptions} from '../../../src/pipeline/sources/input-list.js'
import {argumentInputs, type InputSpec} from '../../../src/pipeline/sources/inputs.js'
import {walk} from '../../../src/pipeline/sources/walk.js'

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'dpt-inputs-'))
  for (const f of files) {
    mkdirSync(join(root, f, '..'), {recursive: true})
    writeFileSync(join(root, f), 'x')
  }
  return root
}

const options = (cwd: string, stdin = '', more: Partial<ListOptions> = {}): ListOptions => ({
  nul: false,
  cwd,
  base: undefined,
  stdin: {isTTY: false, read: () => Promise.resolve(stdin)},
  ...more,
})

const rel = async (spec: InputSpec, cwd: string, exclude?: string): Promise<string[]> =>
  (await discover(spec, cwd, exclude === undefined ? {} : {exclude})).files.map((f) => f.relPath)

const coded = (code: number, pattern: RegExp) => (e: unknown) => e instanceof DptError && e.exitCode === code && pattern.test(e.message)

describe('lists of paths', () => {
  it('splits newline lists (CRLF too, blank lines skipped) and NUL lists (newlines kept in names)', () => {
    assert.deepEqual(splitList('a.jpg\r\nb c.jpg\n\nd.jpg\n', false), ['a.jpg', 'b c.jpg', 'd.jpg'])
    assert.deepEqual(splitList('a\nb.jpg\0c.jpg\0', true), ['a\nb.jpg', 'c.jpg'])
  })

  it('reads - from stdin and @FILE from a file, relative to the working directory, beside plain arguments', async () => {
    const root = tree(['s/a.jpg', 's/b.jpg', 's/c.jpg', 'list.txt'])
    writeFileSync(join(root, 'list.txt'), 's/b.jpg\n')
    const spec = await readInputs(['-', '@list.txt', 's/c.jpg'], options(root, 's/a.jpg\n'))
    assert.deepEqual(spec.patterns, ['s/c.jpg'])
    assert.deepEqual(
      spec.lists.map((l) => [l.arg, l.paths]),
      [
        ['-', ['s/a.jpg']],
        ['@list.txt', ['s/b.jpg']],
      ],
    )
    assert.deepEqual(await rel(spec, root), ['a.jpg', 'b.jpg', 'c.jpg'])
  })

  it('takes listed paths literally: a name with glob characters is that file, a pattern is not expanded', async () => {
    const root = tree(['s/a[1].jpg', 's/a1.jpg'])
    assert.deepEqual(await rel(await readInputs(['-'], options(root, 's/a[1].jpg\n')), root), ['a[1].jpg'])
    await assert.rejects(
      rel(await readInputs(['-'], options(root, 's/*.jpg\n')), root),
      coded(ExitCode.noInputs, /Input not found: s\/\*\.jpg \(listed in stdin\)/),
    )
  })

  it('refuses - twice, - on a terminal, and a missing list file', async () => {
    const root = tree(['a.jpg'])
    await assert.rejects(readInputs(['-', '-'], options(root)), coded(ExitCode.usage, /given twice/))
    await assert.rejects(
      readInputs(['-'], options(root, '', {stdin: {isTTY: true, read: () => Promise.resolve('')}})),
      coded(ExitCode.usage, /stdin is a terminal/),
    )
    await assert.rejects(readInputs(['@nope.txt'], options(root)), coded(ExitCode.noInputs, /Cannot read the list nope\.txt/))
  })
})

describe('--base', () => {
  it('fixes the root the outputs mirror, so a subset lands where the whole run puts it', async () => {
    const root = tree(['shots/day1/a.jpg', 'shots/day2/b.jpg'])
    assert.deepEqual(await rel(argumentInputs(['shots/day1']), root), ['a.jpg'])
    assert.deepEqual(await rel({...argumentInputs(['shots/day1']), base: join(root, 'shots')}, root), ['day1/a.jpg'])
    assert.deepEqual(await rel(argumentInputs(['shots']), root), ['day1/a.jpg', 'day2/b.jpg'])
  })

  it('refuses an input outside --base', async () => {
    const root = tree(['shots/day1/a.jpg', 'other/c.jpg'])
    await assert.rejects(
      rel({...argumentInputs(['shots', 'other']), base: join(root, 'shots')}, root),
      coded(ExitCode.usage, /other\/c\.jpg is not inside --base shots/),
    )
  })
})

describe('globs', () => {
  it('match extensions whatever their case (cameras write .JPG)', async () => {
    const root = tree(['imgs/a.jpg', 'imgs/B.JPG', 'imgs/c.Jpg', 'imgs/d.png', 'imgs/sub/e.JPG'])
    assert.deepEqual(await rel(argumentInputs(['imgs/*.jpg']), root), ['B.JPG', 'a.jpg', 'c.Jpg'])
    assert.deepEqual(await rel(argumentInputs(['imgs/**/*.jpg']), root), ['B.JPG', 'a.jpg', 'c.Jpg', 'sub/e.JPG'])
  })

  it('with braces spanning folders, mirror below the folders’ common base', async () => {
    const root = tree(['x/a/1.jpg', 'x/b/1.jpg'])
    assert.deepEqual(await rel(argumentInputs(['x/{a,b}/*.jpg']), root), ['a/1.jpg', 'b/1.jpg'])
  })
})

describe('symlinks', () => {
  it('a cycle ends: each real file once, the cycle reported, a folder linked twice read once', async () => {
    const root = tree(['imgs/a.jpg', 'imgs/sub/b.jpg', 'imgs/sub/deeper/c.jpg'])
    symlinkSync('..', join(root, 'imgs', 'sub', 'up')) // imgs/sub/up → imgs: a cycle
    symlinkSync('../..', join(root, 'imgs', 'sub', 'deeper', 'top')) // and another
    symlinkSync('sub', join(root, 'imgs', 'alias')) // the same folder twice
    symlinkSync('a.jpg', join(root, 'imgs', 'same.jpg')) // the same file twice
    const found = await discover(argumentInputs(['imgs']), root)
    assert.deepEqual(
      found.files.map((f) => f.relPath),
      ['a.jpg', 'sub/b.jpg', 'sub/deeper/c.jpg'],
    )
    assert.deepEqual(found.warnings.sort(), [
      'symlink cycle: imgs/sub/deeper/top leads back to a folder above it; not followed',
      'symlink cycle: imgs/sub/up leads back to a folder above it; not followed',
    ])
  })

  it('files reached only through a link keep the link’s path, and globs walk links as folders do', async () => {
    const root = tree(['elsewhere/x.jpg', 'imgs/a.jpg'])
    symlinkSync(join(root, 'elsewhere'), join(root, 'imgs', 'more'))
    symlinkSync('.', join(root, 'imgs', 'self'))
    assert.deepEqual(await rel(argumentInputs(['imgs/**/*.jpg']), root), ['a.jpg', 'more/x.jpg'])
    const walked = await walk(join(root, 'imgs'), {dot: false, maxDepth: Infinity, skip: () => false})
    assert.deepEqual(walked.cycles, [join(root, 'imgs', 'self')])
  })
})

describe('the output folder', () => {
  it('equal to an input folder, or holding it, is a usage error that says so', async () => {
    const root = tree(['imgs/a.jpg', 'out/imgs/b.jpg'])
    await assert.rejects(
      rel(argumentInputs(['imgs']), root, join(root, 'imgs')),
      coded(ExitCode.usage, /The output folder \(-o imgs\) is the input folder imgs/),
    )
    await assert.rejects(
      rel(argumentInputs(['out/imgs']), root, join(root, 'out')),
      coded(ExitCode.usage, /The input out\/imgs lies inside the output folder \(-o out\)/),
    )
  })

  it('inside an input folder is skipped when reading (earlier outputs are not inputs)', async () => {
    const root = tree(['imgs/a.jpg', 'imgs/out/a.png'])
    assert.deepEqual(await rel(argumentInputs(['imgs']), root, join(root, 'imgs', 'out')), ['a.jpg'])
  })
})
