import {spawn} from 'node:child_process'
import {constants} from 'node:os'

/** Commands that stream images through the pipeline, where allocator fragmentation shows over long runs. */
const IMAGE_COMMANDS = new Set(['depth', 'segment', 'eval', 'bench'])

/** How many glibc malloc arenas the image commands run with. */
export const MALLOC_ARENAS = '2'

/**
 * glibc gives threads that contend for malloc arenas of their own, up to 8 per core. Decoding (libvips), zlib,
 * libuv's pool and onnxruntime allocate from many threads, and the freed memory stays spread over the arenas,
 * so peak RSS creeps up with the length of a run (measured with the tiny fixture model on the benchmark photos:
 * +15.8 % from 50 to 500 images with the default arenas, +5.5 % with 2). The limit can only be set in the
 * environment before the process starts: on glibc, for the image commands, dpt starts itself once more with
 * MALLOC_ARENA_MAX set, unless the user chose a value (or DPT_NO_RESPAWN is set).
 */
export function shouldRespawn(platform: string, env: NodeJS.ProcessEnv, args: readonly string[], glibc: () => boolean): boolean {
  return platform === 'linux' && env['MALLOC_ARENA_MAX'] === undefined && env['DPT_NO_RESPAWN'] === undefined && IMAGE_COMMANDS.has(args[0] ?? '') && glibc()
}

/** musl and other C libraries ignore MALLOC_ARENA_MAX: no second process there. */
export const isGlibc = (): boolean =>
  process.platform === 'linux' && Boolean((process.report.getReport() as {header?: {glibcVersionRuntime?: string}} | undefined)?.header?.glibcVersionRuntime)

/**
 * Runs `script args` again in a child with the arena limit and mirrors its end: stdio inherited, exit code
 * or signal passed through. Signals: Ctrl-C in a terminal reaches the whole foreground process group, the child
 * included, so SIGINT is forwarded only when no stdio is a terminal (a CI runner or a script signalling this
 * process alone); forwarding it as well would make one Ctrl-C look like two. SIGTERM and SIGHUP, sent to one
 * process, are always forwarded. DPT_RESPAWNED tells the child that its parent is dpt, so that it stops should
 * that parent die without passing a signal on (src/process/orphan.ts).
 */
export function respawn(script: string, args: readonly string[]): void {
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    stdio: 'inherit',
    env: {...process.env, MALLOC_ARENA_MAX: MALLOC_ARENAS, DPT_RESPAWNED: '1'},
  })
  const inTerminal = process.stdin.isTTY || process.stdout.isTTY || process.stderr.isTTY
  process.on('SIGINT', () => {
    if (!inTerminal) child.kill('SIGINT')
  })
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  process.on('SIGHUP', () => child.kill('SIGHUP'))
  child.on('error', (error) => {
    process.stderr.write(`dpt: could not start ${process.execPath}: ${error.message}\n`)
    process.exitCode = 1
  })
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal])
  })
}
