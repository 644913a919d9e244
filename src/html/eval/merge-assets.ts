import {cp, mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import type {EvalReport} from '../../eval/types.js'
import {DptError, ExitCode, messageOf} from '../../pipeline/errors.js'
import {Extremes} from './extremes.js'
import {findManifest, runIdentity, writeManifest, type AssetManifest} from './manifest.js'
import {badness, rankingMetric} from './rank.js'

/**
 * `dpt eval merge --html DIR --html-parts S1 S2 …`: the worst and best images of the merged report from the
 * shards' own `--html` folders. Each shard kept its own N worst and N best, so the N worst of the whole run are
 * among them: ranking the union by the merged report's records gives exactly the images a single run would keep
 * (ties by id, as in one run). Their folders are copied into DIR and its manifest written; the page then finds
 * them like a run's.
 */
export async function mergeShardAssets(siteDir: string, parts: readonly string[], report: EvalReport): Promise<AssetManifest> {
  const manifests: {dir: string; manifest: AssetManifest}[] = []
  for (const dir of parts) {
    const found = await findManifest(dir, report)
    if ('missing' in found) {
      throw new DptError(`--html-parts ${dir}: ${found.missing}`, {
        exitCode: ExitCode.usage,
        remedy: 'Pass the --html folders the shards of this merge wrote (dpt eval --shard i/n --html DIR).',
      })
    }
    manifests.push({dir, manifest: found.manifest})
  }
  const metric = rankingMetric(report.protocol)
  const count = Math.max(0, ...manifests.map((m) => Math.max(m.manifest.worst.length, m.manifest.best.length)))
  const extremes = new Extremes(count)
  const records = new Map(report.images.map((r) => [r.id, r]))
  const source = new Map<string, {dir: string; assets: AssetManifest['images'][number]}>()
  for (const {dir, manifest} of manifests) {
    for (const assets of manifest.images) {
      const record = records.get(assets.id)
      const value = record === undefined ? null : badness(record, metric)
      if (value === null || source.has(assets.id)) continue
      source.set(assets.id, {dir, assets})
      extremes.offer({id: assets.id, badness: value})
    }
  }
  const worst = extremes.worst().map((r) => r.id)
  const best = extremes.best().map((r) => r.id)
  const kept = [...new Set([...worst, ...best])].sort().map((id) => source.get(id)!)
  await mkdir(siteDir, {recursive: true})
  for (const {dir, assets} of kept) {
    try {
      await cp(join(dir, assets.folder), join(siteDir, assets.folder), {recursive: true})
    } catch (error) {
      throw new DptError(`Cannot copy ${join(dir, assets.folder)} into ${siteDir}: ${messageOf(error)}`, {exitCode: ExitCode.internal, cause: error})
    }
  }
  const manifest: AssetManifest = {
    schema: 'dpt-html-assets',
    version: 1,
    run: runIdentity(report),
    rankedBy: {metric: metric.name, label: metric.label, better: metric.better},
    worst,
    best,
    images: kept.map((k) => k.assets),
  }
  await writeManifest(siteDir, manifest)
  return manifest
}
