import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type FfmpegInstall, locateFfmpeg} from '../../src/video/ffmpeg-locate.js'
import {probeVideo} from '../../src/video/probe.js'
import {runTool} from '../../src/video/run-tool.js'

/**
 * The ffmpeg the tests use: whatever locateFfmpeg finds from this environment — on a fresh machine without a
 * system ffmpeg, the one `npm ci` installed (@ffmpeg-installer). No test skips for want of ffmpeg.
 */
let installed: Promise<FfmpegInstall> | undefined
export const testFfmpeg = async (): Promise<FfmpegInstall> => (installed ??= locateFfmpeg({env: process.env}))

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `dpt-${prefix}-`))

export interface ClipOptions {
  readonly width: number
  readonly height: number
  readonly frames: number
  /** Frame rate of the generator; default 10. */
  readonly rate?: number
  /** Presentation times in seconds, one per frame (variable frame rate); default n / rate. */
  readonly times?: readonly number[]
  /**
   * Rotation written as the `rotate` tag (ffmpeg < 6) or a display matrix (later). ffmpeg 4.1's MP4 muxer
   * writes `rotate=90` as a matrix that it reads back as 270°: tests use the rotation probeVideo reports.
   */
  readonly rotate?: 90 | 180 | 270
  readonly audio?: boolean
  /** Default libx264 (yuv444p for odd sizes, yuv420p otherwise). */
  readonly codec?: 'libx264' | 'ffv1' | 'mpeg4'
  readonly pixelFormat?: string
  readonly container?: 'mp4' | 'mkv' | 'avi' | 'gif'
  readonly sampleAspect?: string
}

/** Generates a test clip with ffmpeg's testsrc2 pattern (moving, coloured) and returns its path. */
export async function makeClip(dir: string, name: string, o: ClipOptions): Promise<string> {
  const ff = await testFfmpeg()
  const rate = o.rate ?? 10
  const container = o.container ?? 'mp4'
  const path = join(dir, `${name}.${container}`)
  const codec = o.codec ?? 'libx264'
  const odd = o.width % 2 !== 0 || o.height % 2 !== 0
  const pixelFormat = o.pixelFormat ?? (codec === 'libx264' && odd ? 'yuv444p' : container === 'gif' ? 'rgb8' : 'yuv420p')
  const filters: string[] = []
  let sync: string[] = []
  if (o.times !== undefined) {
    // setpts from a lookup: frame N gets times[N] (an expression chain of if(eq(N,k),t_k, …)).
    const expr = o.times.reduceRight((rest, t, k) => `if(eq(N\\,${k})\\,${t}\\,${rest})`, String(o.times.at(-1) ?? 0))
    filters.push(`setpts='${expr}/TB'`)
    sync = [ff.passthrough[0]!, 'vfr']
  }
  // testsrc2 rounds sizes down to even ones: odd sizes are cropped from the next even size up.
  // (crop rounds to the chroma grid of 4:2:0, hence 4:4:4 first).
  if (odd) filters.push('format=yuv444p', `crop=${o.width}:${o.height}:0:0`)
  if (o.sampleAspect !== undefined) filters.push(`setsar=${o.sampleAspect}`)
  const source = `testsrc2=size=${o.width + (o.width % 2)}x${o.height + (o.height % 2)}:rate=${rate}`
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source]
  if (o.audio === true) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000')
  args.push('-map', '0:v', ...(o.audio === true ? ['-map', '1:a', '-c:a', 'aac', '-shortest'] : []))
  args.push('-frames:v', String(o.frames), ...(filters.length > 0 ? ['-vf', filters.join(',')] : []), ...sync)
  if (container !== 'gif') args.push('-c:v', codec, '-pix_fmt', pixelFormat)
  await runTool(ff.ffmpeg.path, [...args, path])
  if (o.rotate === undefined) return path
  // Rotation metadata is set while copying the stream (an encode would autorotate it away). ffmpeg < 6 turns
  // the rotate tag into a display matrix; later versions take -display_rotation (counter-clockwise) instead.
  const rotated = join(dir, `${name}.rotated.${container}`)
  const quiet = ['-hide_banner', '-loglevel', 'error', '-y']
  await runTool(ff.ffmpeg.path, [...quiet, '-i', path, '-c', 'copy', '-metadata:s:v:0', `rotate=${o.rotate}`, rotated])
  if ((await probeVideo(ff, rotated)).video.rotation === 0) {
    await runTool(ff.ffmpeg.path, [...quiet, '-display_rotation:v:0', String(-o.rotate), '-i', path, '-c', 'copy', rotated])
  }
  return rotated
}
