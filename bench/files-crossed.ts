/**
 * npm run bench:files-crossed [-- --root OTHER_CHECKOUT]
 *
 * How many of the project's files one image crosses in `dpt depth` and in `dpt eval` (a depth folder dataset):
 * each command runs twice under node's V8 coverage (NODE_V8_COVERAGE), on 1 and on 3 copies of a fixture image,
 * and a file counts when one of its functions ran more often with more images — code that runs per image, as
 * opposed to start-up and loading. `--root` measures another checkout (built, e.g. an older commit in a git
 * worktree) with the same inputs. Prints the files and their number; asserts nothing.
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import sharp from 'sharp'
import {repoRoot} from './lib/paths.js'

const {values} = parseArgs({options: {root: {type: 'string', default: repoRoot}}})
const root = resolve(values.root)
const image = join(repoRoot, 'test', 'fixtures', 'images', 'coffee-160x120.png')
const model = join(repoRoot, 'test', 'fixtures', 'models', 'dpt-hybrid-tiny')

/** Calls per function of the checkout's dist/src, summed over every process and thread of one run. */
function coverage(dir: string): Map<string, number> {
  const calls = new Map<string, number>()
  const prefix = join(root, 'dist', 'src')
  for (const name of readdirSync(dir)) {
    const data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      result: {url: string; functions: {functionName: string; ranges: {startOffset: number; count: number}[]}[]}[]
    }
    for (const script of data.result) {
      if (!script.url.startsWith('file:')) continue
      const path = fileURLToPath(script.url)
      if (!path.startsWith(prefix)) continue
      for (const f of script.functions) {
        const key = `${path.slice(prefix.length + 1)}\t${f.functionName}@${f.ranges[0]?.startOffset ?? 0}`
        calls.set(key, (calls.get(key) ?? 0) + (f.ranges[0]?.count ?? 0))
      }
    }
  }
  return calls
}

/** Runs `dpt ARGS` under coverage; returns the calls per function. */
function covered(scratch: string, tag: string, args: readonly string[]): Map<string, number> {
  const dir = join(scratch, `coverage-${tag}`)
  const run = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {
    env: {...process.env, NODE_V8_COVERAGE: dir, DPT_NO_RESPAWN: '1'},
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`dpt ${args.join(' ')} exited ${run.status}: ${run.stderr}`)
  return coverage(dir)
}

function crossed(one: Map<string, number>, more: Map<string, number>): string[] {
  const files = new Set<string>()
  for (const [key, n] of more) if (n > (one.get(key) ?? 0)) files.add(key.split('\t')[0]!)
  return [...files].sort()
}

async function inputs(scratch: string, n: number): Promise<string> {
  const dir = join(scratch, `in-${n}`)
  mkdirSync(join(dir, 'img'), {recursive: true})
  mkdirSync(join(dir, 'gt'), {recursive: true})
  // Ground truth for a depth folder dataset: a 16-bit ramp in millimetres at the image's size (160×120).
  const gt = new Uint16Array(160 * 120).map((_, p) => 1000 + (p % 160) * 20)
  for (let i = 0; i < n; i++) {
    copyFileSync(image, join(dir, 'img', `${i}.png`))
    await sharp(Buffer.from(gt.buffer), {raw: {width: 160, height: 120, channels: 1}})
      .toColourspace('grey16')
      .png()
      .toFile(join(dir, 'gt', `${i}.png`))
  }
  return dir
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'dpt-files-crossed-'))
  try {
    const dirs = [await inputs(scratch, 1), await inputs(scratch, 3)] as const
    const depth = dirs.map((dir, i) => covered(scratch, `depth-${i}`, ['depth', join(dir, 'img'), '-o', join(dir, 'out'), '--model', model]))
    const evalArgs = (dir: string): string[] => ['eval', '--dataset', 'folder', '--data', join(dir, 'img'), '--gt', join(dir, 'gt')]
    const evals = dirs.map((dir, i) => covered(scratch, `eval-${i}`, [...evalArgs(dir), '--gt-format', 'png16', '--gt-scale', '1000', '--model', model]))
    console.log(`checkout: ${root}`)
    for (const [name, [one, more]] of [
      ['dpt depth', depth],
      ['dpt eval', evals],
    ] as const) {
      const files = crossed(one!, more!)
      console.log(`\n${name}: one image crosses ${files.length} files`)
      for (const f of files) console.log(`  ${f.replace(/\.js$/, '.ts')}`)
    }
  } finally {
    rmSync(scratch, {recursive: true, force: true})
  }
}

await main()
