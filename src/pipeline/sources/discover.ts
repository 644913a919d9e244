import {lstat, realpath, stat} from 'node:fs/promises'
import {basename, dirname, extname, isAbsolute, relative, resolve, sep} from 'node:path'
import fg from 'fast-glob'
import pLimit from 'p-limit'
import picomatch from 'picomatch'
import {DptError, ExitCode} from '../errors.js'
import {display, isInside} from '../paths.js'
import {takeShard, type Shard} from '../shard.js'
import {inputNotFound, type InputList, type InputSpec} from './inputs.js'
import {walk, type FoundFile} from './walk.js'

/** One candidate input file, with the path its outputs take below the output directory (without extension). */
export interface InputFile {
  readonly path: string
  /** Relative path (POSIX separators) of the input below the base (--base, or the common base of all inputs). */
  readonly relPath: string
  /** Output path stem below the output directory: relPath without its extension (see disambiguate). */
  readonly outStem: string
}

export interface DiscoverOptions {
  /** Absolute directory that folder and glob expansions never read (the output directory). */
  readonly exclude?: string
  readonly shard?: Shard
}

export interface Discovered {
  readonly files: InputFile[]
  /** Symlink cycles and unreadable folders met on the way: reported, never fatal. */
  readonly warnings: string[]
}

/** One argument or listed path, expanded. */
interface Expansion {
  readonly files: FoundFile[]
  readonly base: string
  /** A file named as such (always an input, even inside the output folder). */
  readonly explicit: boolean
  readonly cycles: string[]
  readonly unreadable: string[]
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

async function fileExpansion(abs: string): Promise<Expansion> {
  const link = (await lstat(abs)).isSymbolicLink()
  return {files: [{path: abs, real: await realpath(abs), viaLink: link}], base: dirname(abs), explicit: true, cycles: [], unreadable: []}
}

/** A folder given as input: every file below it; the output folder is never read. */
async function folderExpansion(abs: string, exclude: string | undefined): Promise<Expansion> {
  const found = await walk(abs, {dot: false, maxDepth: Infinity, skip: (dir) => exclude !== undefined && isInside(dir, exclude)})
  return {...found, base: abs, explicit: false}
}

/**
 * A glob: each of fast-glob's tasks (braces expanded) walks its static base and matches the rest of the pattern.
 * Matching ignores case, so `*.jpg` finds cameras' `IMG_0001.JPG`; the folders before the first wildcard are
 * looked up as typed. Hidden entries match only a pattern segment that starts with a dot, as in fast-glob.
 */
async function globExpansion(pattern: string, cwd: string, exclude: string | undefined): Promise<Expansion> {
  const globPattern = isAbsolute(pattern) ? fg.convertPathToPattern(pattern) : pattern
  const tasks = fg.generateTasks(globPattern, {cwd})
  const result: Expansion = {files: [], base: cwd, explicit: false, cycles: [], unreadable: []}
  const bases: string[] = []
  for (const task of tasks) {
    const base = resolve(cwd, task.base)
    bases.push(base)
    const info = await stat(base).catch(() => undefined)
    if (info?.isDirectory() !== true) continue
    const matchers = task.patterns.map((p) => {
      const rest = task.base === '.' ? p : p.slice(task.base.length + 1)
      const segments = rest.split('/')
      return {
        match: picomatch(rest, {nocase: true, dot: false}),
        depth: segments.includes('**') ? Infinity : segments.length,
        dot: segments.some((s) => s.startsWith('.')),
      }
    })
    const found = await walk(base, {
      dot: matchers.some((m) => m.dot),
      maxDepth: Math.max(...matchers.map((m) => m.depth)),
      skip: (dir) => exclude !== undefined && isInside(dir, exclude),
    })
    result.files.push(...found.files.filter((f) => matchers.some((m) => m.match(toPosix(relative(base, f.path))))))
    result.cycles.push(...found.cycles)
    result.unreadable.push(...found.unreadable)
  }
  return {...result, base: commonBase(bases)}
}

async function expand(input: string, cwd: string, exclude: string | undefined, list: InputList | undefined): Promise<Expansion> {
  const abs = resolve(cwd, input)
  const info = await stat(abs).catch(() => undefined)
  if (info?.isFile() === true) return fileExpansion(abs)
  if (info?.isDirectory() === true) return folderExpansion(abs, exclude)
  // Listed paths are literal: a name with [ or * in it is that file, never a pattern.
  if (list === undefined && fg.isDynamicPattern(input)) return globExpansion(input, cwd, exclude)
  throw inputNotFound(input, list)
}

/** A folder or glob inside the output folder would read nothing (its files are never inputs): say so. */
function checkOutsideOutput(inputs: readonly {input: string; expansion: Expansion}[], exclude: string | undefined, cwd: string): void {
  if (exclude === undefined) return
  const inside = inputs.find(({expansion}) => !expansion.explicit && isInside(expansion.base, exclude))
  if (inside === undefined) return
  const same = inside.expansion.base === exclude
  throw new DptError(
    same
      ? `The output folder (-o ${display(cwd, exclude)}) is the input folder ${inside.input}`
      : `The input ${inside.input} lies inside the output folder (-o ${display(cwd, exclude)}), which is never read as input`,
    {exitCode: ExitCode.usage, remedy: 'Write the outputs to a folder of their own, e.g. -o out next to the inputs.'},
  )
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

/** One path per real file: the one reached without symlinks if there is one, else the first in sorted order. */
function oneEach(files: readonly FoundFile[]): string[] {
  const best = new Map<string, FoundFile>()
  for (const file of files) {
    const seen = best.get(file.real)
    if (seen === undefined || (seen.viaLink && !file.viaLink) || (seen.viaLink === file.viaLink && file.path < seen.path)) best.set(file.real, file)
  }
  return [...new Set([...best.values()].map((f) => f.path))]
}

/**
 * Lists candidate files in sorted, deterministic order. Whether a file is an image is decided later by its
 * content; here every file counts. `--shard i/n` keeps every n-th file of the sorted list, starting at i-1.
 */
export async function discover(spec: InputSpec, cwd: string, options: DiscoverOptions = {}): Promise<Discovered> {
  const limit = pLimit(16)
  const inputs = await Promise.all([
    ...spec.patterns.map((input) => limit(async () => ({input, expansion: await expand(input, cwd, options.exclude, undefined)}))),
    ...spec.lists.flatMap((list) => list.paths.map((input) => limit(async () => ({input, expansion: await expand(input, cwd, options.exclude, list)})))),
  ])
  checkOutsideOutput(inputs, options.exclude, cwd)
  const expanded = inputs.map((i) => i.expansion)
  const base = spec.base ?? commonBase(expanded.map((e) => e.base))
  const candidates: FoundFile[] = []
  for (const {files, explicit} of expanded) {
    for (const file of files) {
      // Folder and glob expansions skip the output directory (earlier outputs are not inputs) and temp files;
      // a file named explicitly is always an input.
      if (!explicit && options.exclude !== undefined && isInside(file.path, options.exclude)) continue
      if (!explicit && basename(file.path).endsWith('.tmp')) continue
      candidates.push(file)
    }
  }
  const paths = oneEach(candidates)
  const outside = paths.find((p) => !isInside(p, base))
  if (outside !== undefined) {
    throw new DptError(`${display(cwd, outside)} is not inside --base ${display(cwd, base)}`, {
      exitCode: ExitCode.usage,
      remedy: 'Pick a --base folder that holds every input: the output tree mirrors the paths below it.',
    })
  }
  const sorted = paths.map((path) => ({path, relPath: toPosix(relative(base, path))}))
  sorted.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
  const stems = disambiguate(sorted.map((f) => f.relPath))
  const all = sorted.map((f, i) => ({...f, outStem: stems[i] ?? f.relPath}))
  const warnings = [
    ...expanded.flatMap((e) => e.cycles).map((link) => `symlink cycle: ${display(cwd, link)} leads back to a folder above it; not followed`),
    ...expanded.flatMap((e) => e.unreadable).map((folder) => `cannot read folder ${display(cwd, folder)}`),
  ]
  return {files: takeShard(all, options.shard), warnings: [...new Set(warnings)]}
}
