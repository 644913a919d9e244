/** A library version as ffmpeg prints it: `libavcodec     58. 42.100 / 58. 42.100` → [58, 42, 100]. */
export type LibraryVersion = readonly [major: number, minor: number, micro: number]

/** What `ffmpeg -version` (or `ffprobe -version`) says about itself. */
export interface FfmpegVersion {
  /** The word after "version": `5.1.6-0+deb12u1`, `n6.1.1`, `N-47683-g0e8eb07980-static` (a git snapshot). */
  readonly text: string
  /** The release line, from libavutil's major version (release names of git snapshots say nothing). */
  readonly release: string
  readonly libavutil: LibraryVersion
  readonly libavcodec: LibraryVersion
  readonly libavformat: LibraryVersion
  readonly libavfilter: LibraryVersion | undefined
}

/**
 * FFmpeg releases by libavutil major version (each major FFmpeg release bumps it, or keeps it for x.1):
 * 55 → 3.x, 56 → 4.x, 57 → 5.x, 58 → 6.x, 59 → 7.x, 60 → 8.x.
 */
const RELEASE_BY_AVUTIL: Readonly<Record<number, string>> = {55: '3', 56: '4', 57: '5', 58: '6', 59: '7', 60: '8'}

/**
 * The oldest ffmpeg dpt accepts: FFmpeg 4.1 (libavcodec 58.35, libavformat 58.20). What dpt's video path uses
 * is all there: `-vsync passthrough` (source timestamps through the filters untouched), `-enc_time_base`
 * (timestamps kept exactly in the encoder's time base), raw video in NUT both ways (frames with their
 * timestamps through pipes), FFV1 for gray16le, autorotation by the display matrix, the `fps`, `select`,
 * `pad` and `hstack` filters. It is also the oldest one the tests run: the npm-installed fallback is a
 * 4.1-era snapshot (libavcodec 58.42).
 */
export const MINIMUM = {release: '4.1', libavcodec: [58, 35, 0], libavformat: [58, 20, 0]} as const

/** ffmpeg 5.1 (libavutil 57.28) renamed -vsync to -fps_mode and deprecated the old name. */
const FPS_MODE_SINCE: LibraryVersion = [57, 28, 100]

function library(text: string, name: string): LibraryVersion | undefined {
  const match = new RegExp(`^${name}\\s+(\\d+)\\.\\s*(\\d+)\\.\\s*(\\d+)`, 'm').exec(text)
  if (match === null) return undefined
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

/** -1, 0, 1 as `a` is older than, equal to or newer than `b`. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  return 0
}

/** Parses `ffmpeg -version` / `ffprobe -version` output; undefined when it is not ffmpeg's. */
export function parseVersion(output: string): FfmpegVersion | undefined {
  const head = /^ff(?:mpeg|probe) version (\S+)/m.exec(output)
  const libavutil = library(output, 'libavutil')
  const libavcodec = library(output, 'libavcodec')
  const libavformat = library(output, 'libavformat')
  if (head === null || libavutil === undefined || libavcodec === undefined || libavformat === undefined) return undefined
  const major = RELEASE_BY_AVUTIL[libavutil[0]]
  const release = major === undefined ? `libavutil ${libavutil.join('.')}` : `${major}.x`
  return {text: head[1]!, release, libavutil, libavcodec, libavformat, libavfilter: library(output, 'libavfilter')}
}

/** Whether this version is at least MINIMUM. */
export function isSupported(version: FfmpegVersion): boolean {
  return compareVersions(version.libavcodec, MINIMUM.libavcodec) >= 0 && compareVersions(version.libavformat, MINIMUM.libavformat) >= 0
}

/** The option that passes every frame with its own timestamp (no duplication or dropping to a constant rate). */
export function passthroughOption(version: FfmpegVersion): readonly string[] {
  return compareVersions(version.libavutil, FPS_MODE_SINCE) >= 0 ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough']
}
