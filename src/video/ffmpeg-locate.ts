import {constants} from 'node:fs'
import {access} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {basename, delimiter, dirname, extname, join} from 'node:path'
import {DptError, ExitCode} from '../pipeline/errors.js'
import {type FfmpegVersion, isSupported, MINIMUM, parseVersion, passthroughOption} from './ffmpeg-version.js'
import {runTool} from './run-tool.js'

/** Where a binary was found: `--ffmpeg`, an environment variable, the PATH, or the npm fallback packages. */
export type ToolSource = 'flag' | 'env' | 'system' | 'npm'

export interface LocatedTool {
  readonly path: string
  readonly source: ToolSource
  readonly version: FfmpegVersion
}

/** The ffmpeg and ffprobe dpt runs, and what follows from their versions. */
export interface FfmpegInstall {
  readonly ffmpeg: LocatedTool
  readonly ffprobe: LocatedTool
  /** `-fps_mode passthrough` (ffmpeg ≥ 5.1) or `-vsync passthrough` (older). */
  readonly passthrough: readonly string[]
}

/** The inputs of the search, read once at the edge (the command's flag and process.env). */
export interface LocateOptions {
  /** `--ffmpeg PATH`. */
  readonly ffmpeg?: string | undefined
  /** Usually process.env: DPT_FFMPEG, DPT_FFPROBE and PATH are read from it. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Leave out the npm fallback (tests of the error path). */
  readonly noNpm?: boolean
}

const REMEDY =
  `Install ffmpeg ${MINIMUM.release} or newer (e.g. \`apt-get install ffmpeg\`, \`brew install ffmpeg\`), or point dpt at one with ` +
  '--ffmpeg PATH or DPT_FFMPEG=PATH (ffprobe is taken from the same folder, or from DPT_FFPROBE). `npm ci` also installs one ' +
  '(@ffmpeg-installer/ffmpeg, an optional dependency) unless optional dependencies were omitted.'

const exe = (name: string): string => (process.platform === 'win32' ? `${name}.exe` : name)

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The first executable `name` on PATH, as a shell would find it. */
async function onPath(name: string, env: LocateOptions['env']): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, exe(name))
    if (await isExecutable(candidate)) return candidate
  }
  return undefined
}

/** The binary an @ffmpeg-installer / @ffprobe-installer package provides for this platform, if installed. */
function fromNpm(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | undefined {
  try {
    // Their index resolves the platform package (@ffmpeg-installer/linux-x64, …) and throws when it is absent.
    const found = createRequire(import.meta.url)(pkg) as {path?: unknown}
    return typeof found.path === 'string' ? found.path : undefined
  } catch {
    return undefined
  }
}

/** ffprobe next to an ffmpeg binary (same folder, same naming: `ffmpeg-6.1` → `ffprobe-6.1`). */
function siblingProbe(ffmpeg: string): string {
  const name = basename(ffmpeg, extname(ffmpeg)).replace(/ffmpeg/i, 'ffprobe')
  return join(dirname(ffmpeg), name + extname(ffmpeg))
}

async function versionOf(path: string, source: ToolSource, what: string): Promise<LocatedTool> {
  if (!(await isExecutable(path))) {
    throw new DptError(`${what} not found or not executable: ${path} (from ${source})`, {exitCode: ExitCode.usage, remedy: REMEDY})
  }
  let output: string
  try {
    output = (await runTool(path, ['-hide_banner', '-version'], {timeoutMs: 20_000})).stdout
  } catch (error) {
    throw new DptError(`${what} at ${path} (from ${source}) does not run: ${(error as Error).message}`, {
      exitCode: ExitCode.usage,
      remedy: REMEDY,
      cause: error,
    })
  }
  const version = parseVersion(output)
  if (version === undefined) {
    throw new DptError(`${path} (from ${source}) is not ${what}: \`-version\` printed no ffmpeg version and library lines`, {
      exitCode: ExitCode.usage,
      remedy: REMEDY,
    })
  }
  if (!isSupported(version)) {
    throw new DptError(
      `${what} ${version.text} at ${path} (from ${source}) is too old: libavcodec ${version.libavcodec.join('.')}, ` +
        `dpt needs FFmpeg ${MINIMUM.release} or newer (libavcodec ${MINIMUM.libavcodec.join('.')})`,
      {exitCode: ExitCode.usage, remedy: REMEDY},
    )
  }
  return {path, source, version}
}

/**
 * Finds ffmpeg: `--ffmpeg PATH`, else DPT_FFMPEG, else `ffmpeg` on PATH, else the npm fallback package; the
 * first one given or found is the one used (a broken --ffmpeg is an error, not a reason to look further).
 * ffprobe: DPT_FFPROBE, else next to that ffmpeg, else on PATH, else npm. Both must be FFmpeg ≥ 4.1.
 */
export async function locateFfmpeg(options: LocateOptions): Promise<FfmpegInstall> {
  const {env} = options
  const npm = options.noNpm === true ? () => undefined : fromNpm
  let ffmpegPath: string | undefined
  let ffmpegSource: ToolSource = 'flag'
  if (options.ffmpeg !== undefined && options.ffmpeg !== '') ffmpegPath = options.ffmpeg
  else if (env.DPT_FFMPEG !== undefined && env.DPT_FFMPEG !== '') [ffmpegPath, ffmpegSource] = [env.DPT_FFMPEG, 'env']
  else if ((ffmpegPath = await onPath('ffmpeg', env)) !== undefined) ffmpegSource = 'system'
  else if ((ffmpegPath = npm('@ffmpeg-installer/ffmpeg')) !== undefined) ffmpegSource = 'npm'
  if (ffmpegPath === undefined) {
    throw new DptError('ffmpeg not found: no --ffmpeg, no DPT_FFMPEG, none on PATH, and the npm fallback is not installed', {
      exitCode: ExitCode.usage,
      remedy: REMEDY,
    })
  }
  const ffmpeg = await versionOf(ffmpegPath, ffmpegSource, 'ffmpeg')

  let probePath: string | undefined
  let probeSource: ToolSource = 'env'
  if (env.DPT_FFPROBE !== undefined && env.DPT_FFPROBE !== '') probePath = env.DPT_FFPROBE
  else if (await isExecutable(siblingProbe(ffmpeg.path))) [probePath, probeSource] = [siblingProbe(ffmpeg.path), ffmpeg.source]
  else if ((probePath = await onPath('ffprobe', env)) !== undefined) probeSource = 'system'
  else if ((probePath = npm('@ffprobe-installer/ffprobe')) !== undefined) probeSource = 'npm'
  if (probePath === undefined) {
    throw new DptError(`ffprobe not found: not next to ${ffmpeg.path}, no DPT_FFPROBE, none on PATH, no npm fallback`, {
      exitCode: ExitCode.usage,
      remedy: REMEDY,
    })
  }
  const ffprobe = await versionOf(probePath, probeSource, 'ffprobe')
  return {ffmpeg, ffprobe, passthrough: passthroughOption(ffmpeg.version)}
}

/** The encoders this ffmpeg was built with (`ffmpeg -encoders`), e.g. to check for libx264 before a run. */
export async function listEncoders(install: FfmpegInstall): Promise<Set<string>> {
  const {stdout} = await runTool(install.ffmpeg.path, ['-hide_banner', '-encoders'])
  const names = new Set<string>()
  for (const line of stdout.split('\n')) {
    const match = /^\s[VAS][.A-Z]{5}\s+(\S+)/.exec(line)
    if (match !== null) names.add(match[1]!)
  }
  return names
}

/** Fails with the remedy when this ffmpeg lacks an encoder a requested output needs. */
export async function requireEncoders(install: FfmpegInstall, needed: readonly string[]): Promise<void> {
  const have = await listEncoders(install)
  const missing = needed.filter((name) => !have.has(name))
  if (missing.length > 0) {
    throw new DptError(`ffmpeg at ${install.ffmpeg.path} has no ${missing.join(', ')} encoder`, {
      exitCode: ExitCode.usage,
      remedy: 'Use an ffmpeg built with it (distribution packages and the npm fallback have libx264 and ffv1), via --ffmpeg PATH or DPT_FFMPEG.',
    })
  }
}
