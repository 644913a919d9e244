import {readFileSync, existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {decodeNpy, type NpyArray} from '../../src/formats/npy.js'

/** The repository root: tests run from dist/test, fixtures stay in test/fixtures. */
export const repoRoot = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above the test build')
    dir = parent
  }
  return dir
})()

export const fixture = (...parts: string[]): string => resolve(repoRoot, 'test', 'fixtures', ...parts)

/** A fixture .npy file in its own dtype (src/formats/npy.ts reads every dtype numpy.save writes). */
export function readNpy(path: string): NpyArray {
  return decodeNpy(readFileSync(path))
}
