import {basename} from 'node:path'
import {findMetric} from '../../eval/report/metric-catalog.js'
import type {EvalReport, ModelInfo} from '../../eval/types.js'
import type {Registry, RegistryEntry} from '../../hub/registry.js'

/** A published figure for one of the report's metrics. */
export interface PaperFigure {
  readonly metric: string
  readonly value: number
  /** "Ranftl et al., … ICCV 2021, zero-shot cross-dataset transfer · NYU" */
  readonly source: string
}

/** The registry entry of the model a report names (its name, else its folder's name), if the registry has it. */
export function registryEntryFor(registry: Registry, model: ModelInfo): RegistryEntry | undefined {
  const names = [model.name, model.path === null ? null : basename(model.path.replace(/\.onnx$/, ''))].filter((n): n is string => n !== null)
  return registry.models.find((m) => names.includes(m.id))
}

/** "NYUv2" → nyu, "ADE20K val" → ade20k, "KITTI" → kitti: the registry's dataset names as dpt eval's --dataset. */
const datasetKey = (name: string): string => (name.toLowerCase().split(/\s+/)[0] ?? '').replace(/[^a-z0-9]/g, '').replace(/v2$/, '')

/**
 * The paper's figures for the report's dataset, by metric name: the registry's `reported` results whose dataset
 * is the report's and whose metric dpt computes (WHDR is not). Units agree: the registry keeps % where dpt does.
 */
export function paperFigures(entry: RegistryEntry | undefined, report: EvalReport): Map<string, PaperFigure> {
  const out = new Map<string, PaperFigure>()
  if (entry?.reported == null) return out
  for (const result of entry.reported.results) {
    if (datasetKey(result.dataset) !== report.dataset.name) continue
    const info = findMetric(result.metric.replace(/\s*%$/, ''))
    if (info === undefined || info.task !== report.task) continue
    out.set(info.name, {metric: info.name, value: result.value, source: `${entry.reported.source} · ${result.dataset}`})
  }
  return out
}
