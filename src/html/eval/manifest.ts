import {access, readFile} from 'node:fs/promises'
import {isDeepStrictEqual} from 'node:util'
import {join} from 'node:path'
import type {DatasetInfo, EvalProtocol, EvalReport, ModelInfo} from '../../eval/types.js'
import {writeFileAtomic} from '../../pipeline/sinks/atomic.js'
import {ASSETS_DIR, type ImageAssets} from '../assets/image-assets.js'

/**
 * What the image panels of a report are: written by the eval sink next to the pages (`assets/manifest.json`)
 * and read back when pages are rendered from a saved report, which finds its images this way.
 */
export interface AssetManifest {
  readonly schema: 'dpt-html-assets'
  readonly version: 1
  /** The run the images were scored in: pages use them only for a report of the same run. */
  readonly run: RunIdentity
  /** The per-image metric the images are ranked by, and its direction. */
  readonly rankedBy: {readonly metric: string; readonly label: string; readonly better: 'lower' | 'higher'}
  /** Ids, worst first / best first. */
  readonly worst: readonly string[]
  readonly best: readonly string[]
  readonly images: readonly ImageAssets[]
}

export interface RunIdentity {
  readonly dataset: Pick<DatasetInfo, 'name' | 'split'>
  readonly model: ModelInfo
  readonly protocol: EvalProtocol
}

export const MANIFEST_PATH = `${ASSETS_DIR}/manifest.json`

export function runIdentity(report: Pick<EvalReport, 'dataset' | 'model' | 'protocol'>): RunIdentity {
  return {dataset: {name: report.dataset.name, split: report.dataset.split}, model: report.model, protocol: report.protocol}
}

export async function writeManifest(siteDir: string, manifest: AssetManifest): Promise<void> {
  await writeFileAtomic(join(siteDir, MANIFEST_PATH), Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`))
}

/** The site's saved images for this report, or why there are none to show (said on the page). */
export type ManifestLookup = {readonly manifest: AssetManifest} | {readonly missing: string}

/**
 * Reads `assets/manifest.json` of a site folder and checks it belongs to the report (same dataset, model and
 * protocol; every image it lists is one of the report's) and that every file it names is there.
 */
export async function findManifest(siteDir: string, report: EvalReport): Promise<ManifestLookup> {
  let json: Partial<AssetManifest>
  try {
    json = JSON.parse(await readFile(join(siteDir, MANIFEST_PATH), 'utf8')) as Partial<AssetManifest>
  } catch {
    return {missing: 'The images were not saved for this report (render it during the run, with --html, to get them).'}
  }
  // JSON has no Infinity: compare both sides as JSON values.
  const same = isDeepStrictEqual(JSON.parse(JSON.stringify(json.run ?? null)), JSON.parse(JSON.stringify(runIdentity(report))))
  if (json.schema !== 'dpt-html-assets' || json.version !== 1 || !same) {
    return {missing: `The images in ${MANIFEST_PATH} belong to another run (dataset, model or protocol differ), so they are not shown.`}
  }
  const manifest = json as AssetManifest
  const ids = new Set(report.images.map((r) => r.id))
  const files = manifest.images.flatMap((im) => [...im.panels.flatMap((p) => [p.file.thumb, p.file.full]), ...im.keys.map((k) => k.file)])
  const absent = manifest.images.some((im) => !ids.has(im.id))
    ? ['an image that is not in this report']
    : (
        await Promise.all(
          files.map((f) =>
            access(join(siteDir, f)).then(
              () => null,
              () => f,
            ),
          ),
        )
      ).filter((f): f is string => f !== null)
  if (absent.length > 0) return {missing: `The saved images are incomplete (${absent.slice(0, 3).join(', ')} missing), so they are not shown.`}
  return {manifest}
}
