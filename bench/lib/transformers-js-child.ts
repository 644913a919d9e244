/**
 * The transformers.js peer of `npm run bench:peers`, in its own Node process: the depth-estimation pipeline on a
 * local model folder (no network), one warm-up image, then every photo timed with its depth image saved as a PNG.
 * session.run is hooked to time it and to record the tensor sizes the pipeline fed. Loads nothing of dpt (only
 * the transformers.js install given on the command line, with its own onnxruntime-node and sharp).
 * argv[2]: a JSON TjsChildRequest. stdout: one JSON TjsChildResult line; progress on stderr.
 */
import {mkdirSync, readFileSync} from 'node:fs'
import {basename, extname, join} from 'node:path'
import {pathToFileURL} from 'node:url'

export interface TjsChildRequest {
  /** The transformers.js ESM entry of the bench install. */
  readonly entry: string
  readonly localModelPath: string
  readonly modelId: string
  readonly dtype: 'fp32' | 'q8'
  readonly threads: number
  readonly files: readonly string[]
  readonly outDir: string
}

export interface TjsChildResult {
  readonly sessionOptions: Record<string, unknown>
  readonly loadMs: number
  readonly warmupMs: number
  readonly wallMs: number
  readonly imagesPerSecond: number
  /** Whole pipeline call plus the PNG save, per image. */
  readonly imageMs: number[]
  /** session.run alone, per image. */
  readonly runMs: number[]
  /** Network input sizes (W×H) seen by session.run over the timed images, and how many of each. */
  readonly networkSizes: Record<string, number>
}

interface OrtTensorLike {
  readonly dims: readonly number[]
}
interface SessionLike {
  run(feeds: Record<string, OrtTensorLike>, ...rest: unknown[]): Promise<unknown>
}
interface DepthOutput {
  readonly depth: {save(path: string): Promise<void>}
}
interface DepthPipeline {
  (image: string): Promise<DepthOutput>
  readonly model: {readonly sessions: Record<string, SessionLike>}
}
interface TransformersJs {
  env: {allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string}
  pipeline(task: 'depth-estimation', model: string, options: Record<string, unknown>): Promise<DepthPipeline>
}

async function main(request: TjsChildRequest): Promise<TjsChildResult> {
  const tjs = (await import(pathToFileURL(request.entry).href)) as TransformersJs
  tjs.env.allowRemoteModels = false
  tjs.env.allowLocalModels = true
  tjs.env.localModelPath = request.localModelPath
  // The threads dpt is given; everything else stays transformers.js's default (what its users get).
  const sessionOptions = {intraOpNumThreads: request.threads, interOpNumThreads: 1}
  const loadStarted = performance.now()
  const pipe = await tjs.pipeline('depth-estimation', request.modelId, {device: 'cpu', dtype: request.dtype, session_options: sessionOptions})
  const loadMs = performance.now() - loadStarted

  const session = pipe.model.sessions['model']
  if (session === undefined) throw new Error(`transformers.js loaded no 'model' session (${Object.keys(pipe.model.sessions).join(', ')})`)
  const runMs: number[] = []
  const sizes = new Map<string, number>()
  const run = session.run.bind(session)
  session.run = async (feeds, ...rest) => {
    const dims = Object.values(feeds)[0]?.dims ?? []
    const key = `${dims[3]}x${dims[2]}`
    sizes.set(key, (sizes.get(key) ?? 0) + 1)
    const t0 = performance.now()
    const out = await run(feeds, ...rest)
    runMs.push(performance.now() - t0)
    return out
  }

  mkdirSync(request.outDir, {recursive: true})
  const one = async (file: string, name: string): Promise<number> => {
    const t0 = performance.now()
    const out = await pipe(file)
    await out.depth.save(join(request.outDir, `${name}.png`))
    return performance.now() - t0
  }
  const warmupMs = await one(request.files[0]!, 'warm-up')
  runMs.length = 0
  sizes.clear()

  const imageMs: number[] = []
  const started = performance.now()
  for (const [index, file] of request.files.entries()) {
    imageMs.push(await one(file, basename(file, extname(file))))
    console.error(
      `  transformers.js ${index + 1}/${request.files.length} ${basename(file)}: ${imageMs.at(-1)!.toFixed(0)} ms (session.run ${runMs.at(-1)!.toFixed(0)} ms)`,
    )
  }
  const wallMs = performance.now() - started
  return {
    sessionOptions,
    loadMs,
    warmupMs,
    wallMs,
    imagesPerSecond: (request.files.length / wallMs) * 1000,
    imageMs,
    runMs,
    networkSizes: Object.fromEntries(sizes),
  }
}

const request = JSON.parse(process.argv[2] ?? readFileSync(0, 'utf8')) as TjsChildRequest
process.stdout.write(JSON.stringify(await main(request)) + '\n')
