import {formatMetric, metricsOf} from '../../eval/report/metric-catalog.js'
import type {EvalReport, ImageRecord} from '../../eval/types.js'
import type {ImageAssets} from '../assets/image-assets.js'
import {slugOf} from '../assets/slug.js'
import {esc, href} from '../page/escape.js'
import type {AssetManifest} from './manifest.js'

/** The in-page anchor of an image's card. */
export const imageAnchor = (id: string): string => `img-${slugOf(id)}`

/** The image's own metrics, as `label value` pairs (depth: every metric; segmentation: mIoU, pixAcc, pixels). */
function metricsLine(record: ImageRecord | undefined): string {
  if (record === undefined) return ''
  if ('metrics' in record) {
    const m = record.metrics
    if (m === null) return ''
    // JSON may hold null for a non-finite fit.
    const scale: unknown = record.scale
    const fit = typeof scale !== 'number' ? '' : ` · scale ${scale.toPrecision(4)}, shift ${(record.shift ?? 0).toPrecision(4)}`
    return metricsOf('depth')
      .map((info) => `${esc(info.label)} <strong>${esc(formatMetric(info, m[info.name as keyof typeof m]))}</strong>`)
      .join(' · ')
      .concat(` · ${record.pixels} valid pixels${fit}`)
  }
  if ('disagreements' in record) return `${record.disagreements} of ${record.pairs} point pairs in the wrong order`
  const [pixAcc, mIoU] = metricsOf('segment')
  return `mIoU <strong>${esc(formatMetric(mIoU!, record.mIoU))}</strong> · pixAcc <strong>${esc(formatMetric(pixAcc!, record.pixAcc))}</strong> · ${record.pixels} labelled pixels`
}

/** One image's card: its rank, its metrics, its panels (thumbnails linking to the full-size files) and the keys to their colours. */
export function imageCard(assets: ImageAssets, heading: string, record: ImageRecord | undefined): string {
  const panels = assets.panels
    .map(
      (p) =>
        `<figure class="panel"><a href="${href(p.file.full)}"><img src="${href(p.file.thumb)}" width="${p.file.width}" height="${p.file.height}" alt="${esc(
          `${p.label} of ${assets.id}`,
        )}"></a><figcaption>${esc(p.label)}</figcaption></figure>`,
    )
    .join('')
  const keys = assets.keys
    .map((k) => `<figure class="panel"><img class="key" src="${href(k.file)}" alt="${esc(k.label)}"><figcaption>${esc(k.label)}</figcaption></figure>`)
    .join('')
  return `<div class="card" id="${imageAnchor(assets.id)}"><h3>${esc(heading)}</h3><p>${metricsLine(record)}</p><div class="panels">${panels}</div><div class="aside">${keys}</div><p class="note">${esc(assets.note)} Click a panel for the full-size file.</p></div>`
}

/** The worst and best images' cards, or the reason there are none. */
export function imageSections(report: EvalReport, lookup: {manifest: AssetManifest} | {missing: string}): {worst: string; best: string} {
  if ('missing' in lookup) {
    const note = `<p class="note">${esc(lookup.missing)} Every chart and table above is drawn from the report alone.</p>`
    return {worst: note, best: note}
  }
  const {manifest} = lookup
  const records = new Map(report.images.map((r) => [r.id, r]))
  const byId = new Map(manifest.images.map((im) => [im.id, im]))
  const cards = (ids: readonly string[], word: string): string =>
    `<p class="note">Ranked by per-image ${esc(manifest.rankedBy.label)} (${manifest.rankedBy.better} is better).</p>` +
    ids
      .map((id, k) => {
        const assets = byId.get(id)
        return assets === undefined ? '' : imageCard(assets, `${word} #${k + 1}: ${id}`, records.get(id))
      })
      .join('\n')
  return {worst: cards(manifest.worst, 'worst'), best: cards(manifest.best, 'best')}
}
