/**
 * A full disk, for real: dpt depth writes into a 256 KiB tmpfs mounted in a private mount namespace (`unshare
 * --mount`; as a non-root user `--map-root-user` as well, which needs unprivileged user namespaces). Each 16-bit
 * depth PNG of these noise images is about 110 KiB, so the second or third one finds the disk full. The run must
 * stop there with exit code 8 and one message with a remedy (not one failure per remaining image), and every file
 * it left must be complete: byte for byte what a run on a roomy disk writes. The mount disappears with the
 * namespace; the files are copied out before it does.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import sharp from 'sharp'
import {DptError, ExitCode} from '../../src/pipeline/errors.js'
import {storageError} from '../../src/pipeline/sinks/storage-error.js'
import {runCli, type CliResult} from '../helpers/cli.js'
import {fixture, repoRoot} from '../helpers/fixtures.js'

const MODEL = fixture('models', 'channel-mean')
const IMAGES = 6
let root = ''

async function noise(path: string, seed: number): Promise<void> {
  const width = 300
  const height = 200
  const data = Buffer.alloc(width * height * 3)
  let s = seed
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    data[i] = (s >>> 16) & 255
  }
  await sharp(data, {raw: {width, height, channels: 3}})
    .png()
    .toFile(path)
}

/** dpt depth into a fresh 256 KiB tmpfs; what it left there is copied to `copy`. */
function depthOnFullDisk(copy: string, json: boolean): Promise<CliResult> {
  const mountPoint = mkdtempSync(join(root, 'mnt-'))
  const script = [
    'mount -t tmpfs -o size=256k dpt-test "$1" || exit 90',
    'node "$3" depth "$4" -o "$1/out" --model "$5" $6; code=$?',
    'cp -a "$1/." "$2/"',
    'exit $code',
  ].join('\n')
  const userNamespace = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user']
  const args = [
    '--mount',
    ...userNamespace,
    'sh',
    '-c',
    script,
    'sh',
    mountPoint,
    copy,
    join(repoRoot, 'bin', 'run.js'),
    join(root, 'imgs'),
    MODEL,
    json ? '--json' : '',
  ]
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', args, {env: {...process.env, DPT_NO_RESPAWN: '1'}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({code, stdout, stderr})
    })
  })
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dpt-full-'))
  mkdirSync(join(root, 'imgs'))
  for (let i = 0; i < IMAGES; i++) await noise(join(root, 'imgs', `${i}.png`), 1 + i)
  const roomy = await runCli(['depth', join(root, 'imgs'), '-o', join(root, 'roomy'), '--model', MODEL], {env: {DPT_NO_RESPAWN: '1'}})
  assert.equal(roomy.code, 0, roomy.stderr)
})

describe('a full disk', () => {
  for (const json of [false, true]) {
    it(`stops the run at the first ENOSPC with exit code 8 and a remedy; what was written is complete${json ? ' (--json)' : ''}`, async () => {
      const copy = mkdtempSync(join(root, 'copy-'))
      const r = await depthOnFullDisk(copy, json)
      assert.notEqual(r.code, 90, `could not mount a tmpfs in a private mount namespace (unshare --mount): ${r.stderr}`)
      assert.equal(r.code, ExitCode.storage, r.stderr + r.stdout)
      const message = json ? (JSON.parse(r.stdout) as {error: {message: string; oclif: {exit: number}}}).error : undefined
      const text = (message?.message ?? r.stderr).replace(/\s*\n\s*›\s*/g, ' ')
      assert.equal(message?.oclif.exit ?? 8, 8)
      assert.equal(text.match(/no space left on the disk \(ENOSPC\)/g)?.length, 1, text)
      assert.match(text, /then run the same command again: every file already written is complete, and --skip-existing keeps it/)
      const written = readdirSync(join(copy, 'out'))
      assert.ok(written.length >= 1 && written.length < IMAGES, written.join(' '))
      for (const file of written) {
        assert.match(file, /^\d\.png$/, 'no temporary or partial file is left')
        assert.deepEqual(readFileSync(join(copy, 'out', file)), readFileSync(join(root, 'roomy', file)), `${file} is complete`)
      }
    })
  }

  it('only ENOSPC, EDQUOT and EROFS stop a run; other write errors fail their image', () => {
    const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), {code})
    for (const code of ['ENOSPC', 'EDQUOT', 'EROFS']) {
      const stop = storageError('/out/x.png', error(code))
      assert.ok(stop instanceof DptError && stop.abortsRun && stop.exitCode === ExitCode.storage, code)
      assert.match(stop.message, new RegExp(`Cannot write /out/x\\.png: .*\\(${code}\\)`))
    }
    assert.match(storageError('/out/x.png', error('EROFS'))?.remedy ?? '', /writable filesystem/)
    assert.equal(storageError('/out/x.png', error('EACCES')), undefined)
    assert.equal(storageError('/out/x.png', new Error('no code')), undefined)
  })
})
