import type {Dirent} from 'node:fs'
import {readdir, realpath, stat} from 'node:fs/promises'
import {join} from 'node:path'

/** A file found in a folder tree. */
export interface FoundFile {
  /** As reached from the root (through symlinks, if any). */
  readonly path: string
  /** With every symlink resolved: the same file reached twice has one real path. */
  readonly real: string
  /** Reached through a symlink (to the file or to a folder above it). */
  readonly viaLink: boolean
}

export interface WalkOptions {
  /** Entries whose name starts with a dot are skipped unless this is set (fast-glob's `dot`). */
  readonly dot: boolean
  /** Folder levels to descend below the root; Infinity for the whole tree. */
  readonly maxDepth: number
  /** Folders never entered (the output folder). */
  readonly skip: (dir: string) => boolean
}

export interface WalkResult {
  readonly files: FoundFile[]
  /** Symlinks that point at a folder above themselves: reported, never followed. */
  readonly cycles: string[]
  /** Folders that could not be read, with the reason. */
  readonly unreadable: string[]
}

interface Folder {
  readonly path: string
  readonly real: string
  readonly depth: number
  readonly viaLink: boolean
  /** Real paths of this folder and every folder above it on the way down. */
  readonly ancestors: ReadonlySet<string>
}

/**
 * Lists the files below `root`, following symlinks, without ever walking a real folder twice: a symlink cycle
 * cannot loop (it is reported), and a folder reached both directly and through a link is read once. Folders
 * reached without links are walked first, so a file keeps its plain path when it has one. fast-glob follows
 * links without this check: a folder linking to its parent is walked again until the path is too long,
 * and two such links make that exponential.
 */
export async function walk(root: string, options: WalkOptions): Promise<WalkResult> {
  const result: WalkResult = {files: [], cycles: [], unreadable: []}
  const rootReal = await realpath(root)
  const visited = new Set<string>([rootReal])
  const plain: Folder[] = [{path: root, real: rootReal, depth: 0, viaLink: false, ancestors: new Set([rootReal])}]
  // Links to folders wait until every folder reachable without links has been walked.
  const links: {path: string; parent: Folder}[] = []
  for (;;) {
    const folder = plain.pop()
    if (folder !== undefined) {
      await readFolder(folder, options, result, plain, links, visited)
      continue
    }
    const link = links.shift()
    if (link === undefined) break
    const real = await realpath(link.path).catch(() => undefined)
    if (real === undefined) continue
    if (link.parent.ancestors.has(real)) result.cycles.push(link.path)
    else if (!visited.has(real)) {
      visited.add(real)
      plain.push({path: link.path, real, depth: link.parent.depth + 1, viaLink: true, ancestors: new Set([...link.parent.ancestors, real])})
    }
  }
  return result
}

async function readFolder(
  folder: Folder,
  options: WalkOptions,
  result: WalkResult,
  plain: Folder[],
  links: {path: string; parent: Folder}[],
  visited: Set<string>,
): Promise<void> {
  let entries: Dirent[]
  try {
    entries = await readdir(folder.path, {withFileTypes: true})
  } catch (error) {
    result.unreadable.push(`${folder.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    return
  }
  const deeper = folder.depth + 1 < options.maxDepth
  for (const entry of entries) {
    if (!options.dot && entry.name.startsWith('.')) continue
    const path = join(folder.path, entry.name)
    if (entry.isFile()) {
      result.files.push({path, real: join(folder.real, entry.name), viaLink: folder.viaLink})
    } else if (entry.isDirectory()) {
      const real = join(folder.real, entry.name)
      if (!deeper || options.skip(path) || visited.has(real)) continue
      visited.add(real)
      plain.push({path, real, depth: folder.depth + 1, viaLink: folder.viaLink, ancestors: new Set([...folder.ancestors, real])})
    } else if (entry.isSymbolicLink()) {
      // A broken link is neither file nor folder: skipped, as fast-glob skips it.
      const target = await stat(path).catch(() => undefined)
      if (target?.isFile() === true) {
        const real = await realpath(path).catch(() => undefined)
        if (real !== undefined) result.files.push({path, real, viaLink: true})
      } else if (target?.isDirectory() === true && deeper && !options.skip(path)) links.push({path, parent: folder})
    }
  }
}
