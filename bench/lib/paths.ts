import {homedir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** Repository root (bench runs from dist/bench). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/** Full-size models and generated photos live outside git: hundreds of MB. */
export const benchCache = process.env.DPT_BENCH_CACHE ?? join(homedir(), '.cache', 'dpt-bench')
