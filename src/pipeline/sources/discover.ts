import {stat} from 'node:fs/promises'
import {basename, dirname, extname, isAbsolute, relative, resolve, sep} from 'node:path'
import fg from 'fast-glob'
import {DptError, ExitCode} from '../errors.js'
import {isInside} from '../paths.js'
import {takeShard, type Shard} from '../shard.js'

/** One candidate input file, with the path its outputs take below the output directory (without extension). */
export interface InputFile {
  readonly path: string
  /** Relative path (POSIX separators) of the input below the common base of all inputs. */
  readonly relPath: string
  /** Output path stem below the output directory: relPath without its extension (see disambiguate). */
  readonly outStem: string
}

export interface DiscoverOptions {
  /** Absolute directory that folder and glob expansions never read (the output directory). */
  readonly exclude?: string
  readonly shard?: Shard
}

const toPosix = (p: string): string => p.split(sep).join('/')

/** The deepest directory containing every path. */
function commonBase(dirs: readonly string[]): string {
  const split = dirs.map((d) => d.split(sep))
  const first = split[0] ?? []
  let n = first.length
  for (const parts of split) {
    let i = 0
    while (i < n && parts[i] === first[i]) i++
    n = i
  }
  return first.slice(0, n).join(sep) || sep
}

/** Expands files, directories (recursively) and globs into absolute file paths, each with the base it came from. */
async function expand(pattern: string, cwd: string): Promise<{files: string[]; base: string; explicit: boolean}> {
  const abs = resolve(cwd, pattern)
  const info = await stat(abs).catch(() => undefined)
  if (info?.isFile()) return {files: [abs], base: dirname(abs), explicit: true}
  if (info?.isDirectory()) {
    const files = await fg('**/*', {cwd: abs, absolute: true, onlyFiles: true, dot: false, followSymbolicLinks: true})
    return {files: files.map((f) => resolve(f)), base: abs, explicit: false}
  }
  if (fg.isDynamicPattern(pattern)) {
    const globPattern = isAbsolute(pattern) ? fg.convertPathToPattern(pattern) : pattern
    const files = await fg(globPattern, {cwd, absolute: true, onlyFiles: true, dot: false})
    // The static part of the glob is the base, as fast-glob's tasks define it.
    const [task] = fg.generateTasks(globPattern, {cwd})
    return {files: files.map((f) => resolve(f)), base: resolve(cwd, task?.base ?? '.'), explicit: false}
  }
  throw new DptError(`Input not found: ${pattern}`, {
    exitCode: ExitCode.noInputs,
    remedy: 'Pass existing files, directories or glob patterns (quote globs so the shell does not expand them).',
  })
}

/**
 * Output stems are the input path without its extension, as the reference names its outputs. Two inputs that
 * differ only by extension (x.jpg, x.png) would collide: those keep their extension in the stem (x.jpg, x.png).
 */
function disambiguate(relPaths: readonly string[]): string[] {
  const stem = (p: string): string => p.slice(0, p.length - extname(p).length)
  const counts = new Map<string, number>()
  for (const p of relPaths) counts.set(stem(p), (counts.get(stem(p)) ?? 0) + 1)
  return relPaths.map((p) => ((counts.get(stem(p)) ?? 0) > 1 ? p : stem(p)))
}

/**
 * Lists candidate files in sorted, deterministic order. Whether a file is an image is decided later by its
 * content; here every file counts. `--shard i/n` keeps every n-th file of the sorted list, starting at i-1.
 */
export async function discover(patterns: readonly string[], cwd: string, options: DiscoverOptions = {}): Promise<InputFile[]> {
  const expanded = await Promise.all(patterns.map((p) => expand(p, cwd)))
  const base = commonBase(expanded.map((e) => e.base))
  const unique = new Set<string>()
  for (const {files, explicit} of expanded) {
    for (const file of files) {
      // Folder and glob expansions skip the output directory (earlier outputs are not inputs) and temp files;
      // a file named explicitly is always an input.
      if (!explicit && options.exclude !== undefined && isInside(file, options.exclude)) continue
      if (!explicit && basename(file).endsWith('.tmp')) continue
      unique.add(file)
    }
  }
  const sorted = [...unique].map((path) => ({path, relPath: toPosix(relative(base, path))}))
  sorted.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
  const stems = disambiguate(sorted.map((f) => f.relPath))
  const all = sorted.map((f, i) => ({...f, outStem: stems[i] ?? f.relPath}))
  return takeShard(all, options.shard)
}
