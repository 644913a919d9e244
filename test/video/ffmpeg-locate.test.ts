import assert from 'node:assert/strict'
import {chmodSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {DptError} from '../../src/pipeline/errors.js'
import {listEncoders, locateFfmpeg} from '../../src/video/ffmpeg-locate.js'
import {compareVersions, isSupported, parseVersion, passthroughOption} from '../../src/video/ffmpeg-version.js'
import {tempDir, testFfmpeg} from '../helpers/video-clips.js'

const libs = (avutil: string, avcodec: string, avformat: string): string =>
  `libavutil      ${avutil} / ${avutil}\nlibavcodec     ${avcodec} / ${avcodec}\nlibavformat    ${avformat} / ${avformat}\nlibavfilter     7. 40.101 /  7. 40.101\n`

/** A fake ffmpeg: a shell script that prints `output` for -version. */
function fakeTool(dir: string, name: string, output: string): string {
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\ncat <<'EOF'\n${output}EOF\n`)
  chmodSync(path, 0o755)
  return path
}

describe('ffmpeg versions', () => {
  it('parses releases and git snapshots by their library versions', () => {
    const debian = parseVersion(
      `ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\n${libs('57. 28.100', '59. 37.100', '59. 27.100')}`,
    )
    assert.deepEqual([debian?.text, debian?.release, debian?.libavcodec], ['5.1.6-0+deb12u1', '5.x', [59, 37, 100]])
    const snapshot = parseVersion(
      `ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/\n${libs('56. 24.101', '58. 42.100', '58. 24.100')}`,
    )
    assert.deepEqual([snapshot?.text, snapshot?.release], ['N-47683-g0e8eb07980-static', '4.x'])
    assert.equal(parseVersion('ImageMagick 7.1.1'), undefined)
  })

  it('accepts FFmpeg 4.1 and later, and picks -fps_mode from 5.1 on', () => {
    const v40 = parseVersion(`ffmpeg version 4.0.2\n${libs('56. 14.100', '58. 18.100', '58. 12.100')}`)!
    const v41 = parseVersion(`ffmpeg version 4.1\n${libs('56. 22.100', '58. 35.100', '58. 20.100')}`)!
    const v51 = parseVersion(`ffmpeg version 5.1\n${libs('57. 28.100', '59. 37.100', '59. 27.100')}`)!
    assert.deepEqual([isSupported(v40), isSupported(v41), isSupported(v51)], [false, true, true])
    assert.deepEqual(passthroughOption(v41), ['-vsync', 'passthrough'])
    assert.deepEqual(passthroughOption(v51), ['-fps_mode', 'passthrough'])
    assert.equal(compareVersions([58, 35, 0], [58, 35]), 0)
  })
})

describe('locateFfmpeg', () => {
  it('takes --ffmpeg first, then DPT_FFMPEG, then PATH, then the npm packages, and says which', async () => {
    const npm = await locateFfmpeg({env: {PATH: ''}})
    assert.equal(npm.ffmpeg.source, 'npm')
    assert.equal(npm.ffprobe.source, 'npm')
    const dir = tempDir('locate')
    const copy = join(dir, 'ffmpeg')
    symlinkSync(npm.ffmpeg.path, copy)
    const fromEnv = await locateFfmpeg({env: {PATH: '', DPT_FFMPEG: copy}})
    assert.deepEqual([fromEnv.ffmpeg.source, fromEnv.ffmpeg.path, fromEnv.ffprobe.source], ['env', copy, 'npm'])
    const fromFlag = await locateFfmpeg({ffmpeg: copy, env: {PATH: '', DPT_FFMPEG: '/nowhere/ffmpeg'}})
    assert.equal(fromFlag.ffmpeg.source, 'flag')
    const fromPath = await locateFfmpeg({env: {PATH: dir}})
    assert.deepEqual([fromPath.ffmpeg.source, fromPath.ffmpeg.path], ['system', copy])
    assert.deepEqual(fromPath.ffmpeg.version, npm.ffmpeg.version)
  })

  it('fails with the remedy when there is no ffmpeg, or a broken or too old one', async () => {
    const remedy = /--ffmpeg PATH or DPT_FFMPEG/
    const check = (error: unknown, message: RegExp): boolean => {
      assert.ok(error instanceof DptError)
      assert.match(error.message, message)
      assert.match(error.remedy ?? '', remedy)
      return true
    }
    await assert.rejects(locateFfmpeg({env: {PATH: ''}, noNpm: true}), (e) => check(e, /ffmpeg not found/))
    await assert.rejects(locateFfmpeg({ffmpeg: '/nowhere/ffmpeg', env: {}}), (e) => check(e, /not found or not executable: \/nowhere\/ffmpeg \(from flag\)/))
    const dir = tempDir('old')
    const old = fakeTool(dir, 'ffmpeg', `ffmpeg version 3.4.8\n${libs('55. 78.100', '57.107.100', '57. 83.100')}`)
    await assert.rejects(locateFfmpeg({env: {DPT_FFMPEG: old}}), (e) =>
      check(e, /ffmpeg 3\.4\.8 .* is too old: libavcodec 57\.107\.100, dpt needs FFmpeg 4\.1/),
    )
    const other = fakeTool(dir, 'other', 'something else\n')
    await assert.rejects(locateFfmpeg({env: {DPT_FFMPEG: other}}), (e) => check(e, /is not ffmpeg/))
  })

  it('the ffmpeg the tests use has what dpt needs: ffv1 and libx264 encoders', async (t) => {
    const ff = await testFfmpeg()
    t.diagnostic(`ffmpeg ${ff.ffmpeg.version.text} (${ff.ffmpeg.source}), ffprobe ${ff.ffprobe.version.text} (${ff.ffprobe.source})`)
    const encoders = await listEncoders(ff)
    for (const name of ['ffv1', 'libx264', 'rawvideo', 'aac']) assert.ok(encoders.has(name), name)
  })
})
