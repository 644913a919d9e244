import {cpus} from 'node:os'
import * as ort from 'onnxruntime-node'
import type {GateResult} from '../eval/types.js'
import type {Task} from '../model/card.js'
import {depthTask} from '../pipeline/tasks/depth.js'
import {segmentTask} from '../pipeline/tasks/segment.js'
import type {RunSettings} from '../pipeline/settings.js'
import type {Percentiles} from '../pipeline/stats.js'
import {profileFlops} from './flops.js'
import type {BenchInputs} from './inputs.js'
import {runImages, type ImageRunEvents, type RunResult} from '../pipeline/images.js'
import {type Size, type StageMs} from '../pipeline/sample.js'

export interface BenchSettings {
  readonly run: RunSettings
  readonly task: Task
  /** Where the images came from, for the report: a folder's files or generated at sizes. */
  readonly source: BenchInputs['source']
}

/** Mean milliseconds per image of a stage and its share of the summed stages. */
export interface StageShare {
  readonly meanMs: number
  readonly share: number
}

export type BenchStage = 'read' | 'decode' | 'preprocess' | 'queue' | 'inference' | 'postprocess' | 'write'

/** The `schema` and `version` of dpt bench's --json result (models/bench-result.schema.json). */
export const BENCH_RESULT_SCHEMA = 'dpt-bench-result' as const
export const BENCH_RESULT_VERSION = 1 as const

export interface BenchResult {
  readonly schema: typeof BENCH_RESULT_SCHEMA
  readonly version: typeof BENCH_RESULT_VERSION
  readonly model: {readonly name: string; readonly path: string; readonly dtype: string; readonly task: Task}
  readonly executionProvider: string
  readonly workers: number
  readonly threads: number
  /** --input-size, when it replaced the card's target size. */
  readonly inputSize: Size | null
  readonly onnxruntime: string
  readonly cpu: {readonly model: string; readonly cores: number}
  readonly source: BenchSettings['source']
  readonly images: number
  readonly failed: number
  /** Network input sizes fed to the model and how many images each. */
  readonly networkSizes: readonly {readonly width: number; readonly height: number; readonly images: number; readonly gflops: number}[]
  readonly imagesPerSecond: number
  readonly wallSeconds: number
  readonly modelLoadSeconds: number
  readonly latencyMs: Percentiles
  readonly stages: Readonly<Record<BenchStage, StageShare>>
  readonly peakRssMb: number
  /** Mean FLOPs of one image's inference (2 × multiply-accumulates of Conv/MatMul/Gemm, from the profiler). */
  readonly gflopsPerImage: number
  readonly achievedGflopsPerSecond: {
    /** FLOPs over the time inside session.run, summed over images: what one session reaches while it runs. */
    readonly inference: number
    /** FLOPs of all images over the wall time: what the machine delivers end to end. */
    readonly endToEnd: number
  }
  /** --fail-if gates and whether each passed (exit code 6 when one fails). */
  readonly gates: readonly GateResult[]
  readonly failures: RunResult['failures']
  /** Flags without effect, symlink cycles in the inputs, … (stderr says them as they come). */
  readonly warnings: readonly string[]
  readonly exitCode: RunResult['exitCode']
}

const STAGE_KEYS: Readonly<Record<BenchStage, keyof StageMs>> = {
  read: 'read',
  decode: 'decode',
  preprocess: 'preprocess',
  queue: 'queue',
  inference: 'infer',
  postprocess: 'postprocess',
  write: 'write',
}

const sizeKey = (size: Size): string => `${size.width}x${size.height}`
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits

/**
 * Runs the real pipeline (decode → preprocess → infer in the worker pool → postprocess → atomic writes into a
 * scratch folder) over the images, then counts the model's FLOPs at every network size the run fed it, in
 * separate profiled runs outside the timing.
 */
export async function runBench(settings: BenchSettings, events: ImageRunEvents = {}): Promise<BenchResult> {
  const {run} = settings
  // The real file sinks, into the scratch folder: writing is part of what a run costs.
  const result =
    settings.task === 'depth'
      ? await runImages(
          run,
          depthTask({outDir: run.outDir, formats: ['png16'], colormap: 'inferno', normalize: 'image', metricScale: undefined, kernels: run.kernels}),
          events,
        )
      : await runImages(run, segmentTask({outDir: run.outDir, formats: ['labels'], labelOffset: 1, alpha: 0.5}), events)
  const records = result.images
  const bySize = new Map<string, {size: Size; images: number}>()
  for (const record of records) {
    const entry = bySize.get(sizeKey(record.networkSize)) ?? {size: record.networkSize, images: 0}
    entry.images++
    bySize.set(sizeKey(record.networkSize), entry)
  }
  const flops = await profileFlops(
    run.model.onnxPath,
    result.model.card.input.name,
    [...bySize.values()].map((e) => e.size),
  )
  const flopsOf = (size: Size): number => flops.get(sizeKey(size))?.total ?? 0
  const totalFlops = records.reduce((sum, r) => sum + flopsOf(r.networkSize), 0)
  const inferSeconds = records.reduce((sum, r) => sum + r.ms.infer, 0) / 1000
  const stageSum = records.reduce((sum, r) => sum + Object.values<keyof StageMs>(STAGE_KEYS).reduce((s, k) => s + r.ms[k], 0), 0)
  const stages = Object.fromEntries(
    (Object.entries(STAGE_KEYS) as [BenchStage, keyof StageMs][]).map(([name, key]) => {
      const total = records.reduce((sum, r) => sum + r.ms[key], 0)
      return [name, {meanMs: round(total / Math.max(1, records.length), 1), share: round(stageSum > 0 ? total / stageSum : 0, 4)}]
    }),
  ) as Record<BenchStage, StageShare>
  const wallSeconds = result.timing.wallMs / 1000
  return {
    schema: BENCH_RESULT_SCHEMA,
    version: BENCH_RESULT_VERSION,
    model: {name: result.model.name, path: result.model.path, dtype: result.model.dtype, task: settings.task},
    executionProvider: result.executionProvider,
    workers: result.workers,
    threads: result.threads,
    inputSize: result.inputSize,
    onnxruntime: ort.env.versions.node ?? 'unknown',
    cpu: {model: cpus()[0]?.model ?? 'unknown', cores: cpus().length},
    source: settings.source,
    images: records.length,
    failed: result.counts.failed,
    networkSizes: [...bySize.values()]
      .sort((a, b) => b.images - a.images || a.size.width - b.size.width || a.size.height - b.size.height)
      .map((e) => ({width: e.size.width, height: e.size.height, images: e.images, gflops: round(flopsOf(e.size) / 1e9, 2)})),
    imagesPerSecond: result.timing.imagesPerSecond,
    wallSeconds: round(wallSeconds, 2),
    modelLoadSeconds: round(result.timing.modelLoadMs / 1000, 2),
    latencyMs: result.timing.latencyMs,
    stages,
    peakRssMb: result.timing.peakRssMb,
    gflopsPerImage: round(totalFlops / Math.max(1, records.length) / 1e9, 2),
    achievedGflopsPerSecond: {
      inference: round(inferSeconds > 0 ? totalFlops / inferSeconds / 1e9 : 0, 1),
      endToEnd: round(wallSeconds > 0 ? totalFlops / wallSeconds / 1e9 : 0, 1),
    },
    gates: [],
    failures: result.failures,
    warnings: result.warnings,
    exitCode: result.exitCode,
  }
}
