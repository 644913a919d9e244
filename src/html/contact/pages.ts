import {join} from 'node:path'
import {writeFileAtomic} from '../../pipeline/sinks/atomic.js'
import {colormapLut, type ColormapName} from '../../pipeline/render/colormap.js'
import {writeFile} from 'node:fs/promises'
import {colourBar} from '../charts/legends.js'
import {renderSvg} from '../charts/render.js'
import {ASSETS_DIR} from '../assets/image-assets.js'
import {esc, href} from '../page/escape.js'
import {htmlPage, section, table, type PageLink} from '../page/layout.js'
import type {ContactEntry, ContactSheetData} from './types.js'

/** Page k (1-based) of a sheet: the first is index.html, so the folder opens on it. */
export const pageFile = (k: number): string => (k === 1 ? 'index.html' : `page-${k}.html`)

const COLOUR_BAR = `${ASSETS_DIR}/colour-bar.svg`
/** Failures listed on the first page, with links to their pages. */
const FAILURES_LISTED = 50

/** Writes every page of the sheet (and the depth colour bar); returns their paths, first page first. */
export async function writeContactPages(dir: string, data: ContactSheetData): Promise<string[]> {
  const pages = Math.max(1, Math.ceil(data.entries.length / data.pageSize))
  if (data.depth !== undefined) {
    const lut = colormapLut(data.depth.colormap as ColormapName)
    // Thumbnails put the LUT's top at the near end whatever the unit: read left to right, far … near.
    const bar = colourBar(lut, {title: 'per image: its farthest (0) … its nearest (1)', domain: [0, 1]})
    await writeFile(join(dir, COLOUR_BAR), await renderSvg(bar))
  }
  const paths: string[] = []
  for (let k = 1; k <= pages; k++) {
    const path = join(dir, pageFile(k))
    await writeFileAtomic(path, Buffer.from(renderPage(data, k, pages)))
    paths.push(path)
  }
  return paths
}

function pager(current: number, pages: number): string {
  if (pages === 1) return ''
  const shown = new Set([1, pages, ...Array.from({length: 7}, (_, i) => current - 3 + i)].filter((k) => k >= 1 && k <= pages))
  const items: string[] = []
  let last = 0
  for (const k of [...shown].sort((a, b) => a - b)) {
    if (k > last + 1) items.push('<span>…</span>')
    items.push(k === current ? `<span class="current">${k}</span>` : `<a href="${pageFile(k)}">${k}</a>`)
    last = k
  }
  const prev = current > 1 ? `<a href="${pageFile(current - 1)}" rel="prev">← previous</a>` : ''
  const next = current < pages ? `<a href="${pageFile(current + 1)}" rel="next">next →</a>` : ''
  return `<nav class="pager">${prev}${items.join('')}${next}</nav>`
}

const ms = (v: number | undefined): string => (v === undefined ? '' : v < 100 ? v.toFixed(1) : v.toFixed(0))

function row(data: ContactSheetData, e: ContactEntry, n: number): string[] {
  const thumb = (file: string | undefined, alt: string): string =>
    file === undefined || e.thumbs === undefined
      ? '—'
      : `<img src="${href(file)}" width="${e.thumbs.width}" height="${e.thumbs.height}" alt="${esc(alt)}" loading="lazy">`
  const size = e.width === undefined ? '' : `<br>${e.width}×${e.height}`
  const outputs = (e.outputs ?? []).map((o) => `<br><code>${esc(o)}</code>`).join('')
  let detail = ''
  if (e.range !== undefined) detail = `${esc(data.depth?.unit ?? '')} ${e.range.min.toPrecision(4)} … ${e.range.max.toPrecision(4)}`
  if (e.classes !== undefined && data.classes !== undefined) {
    const {names, colours} = data.classes
    detail = e.classes
      .map(([c, share]) => {
        const [r, g, b] = colours[c] ?? [0, 0, 0]
        return `<span class="swatch" style="background:rgb(${r},${g},${b})"></span>${esc(names[c] ?? `class ${c}`)} ${(100 * share).toFixed(1)} %`
      })
      .join('<br>')
  }
  const stages = Object.entries(e.ms ?? {})
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => `${esc(k)} ${ms(v)}`)
    .join('<br>')
  return [
    String(n),
    thumb(e.thumbs?.input, `input ${e.input}`),
    thumb(e.thumbs?.output, `output of ${e.input}`),
    `<code>${esc(e.input)}</code>${size}${outputs}`,
    e.status === 'ok' ? detail : `<strong>${esc(e.status)}</strong>${e.error === undefined ? '' : `: ${esc(e.error)}`}`,
    ms(e.ms?.total),
    stages,
  ]
}

function renderPage(data: ContactSheetData, current: number, pages: number): string {
  const from = (current - 1) * data.pageSize
  const entries = data.entries.slice(from, from + data.pageSize)
  const key =
    data.depth !== undefined
      ? `<figure class="panel"><img class="key" src="${href(COLOUR_BAR)}" alt="colour bar"><figcaption>${esc(data.depth.colormap)}, each output normalised over its own range (listed per image, ${esc(data.depth.unit)})</figcaption></figure>`
      : '<p class="note">Each row lists the classes covering most of its output, with the palette’s colour and their share of the pixels.</p>'
  const rows = entries.map((e, i) => row(data, e, from + i + 1))
  const columns = [
    {label: '#', numeric: true},
    {label: 'input'},
    {label: 'output'},
    {label: 'file'},
    {label: data.task === 'depth' ? 'output range' : 'classes'},
    {label: 'total ms', numeric: true},
    {label: 'stages (ms)'},
  ]
  const body = `${pager(current, pages)}${key}${table(columns, rows, (i) => (entries[i]!.status === 'ok' ? undefined : 'failed')).replace('<table>', '<table class="sheet">')}${pager(current, pages)}`
  const sections = [section('images', `Images ${from + 1}–${from + entries.length} of ${data.entries.length}`, body)]
  if (current === 1) sections.unshift(section('summary', 'Run', summary(data)))
  const links: PageLink[] = pages > 1 ? [{href: pageFile(pages), label: `last page (${pages})`}] : []
  return htmlPage({title: `${data.title}${pages > 1 ? ` · page ${current} of ${pages}` : ''}`, subtitle: data.summary.map(esc), links, sections})
}

function summary(data: ContactSheetData): string {
  const count = (s: ContactEntry['status']): number => data.entries.filter((e) => e.status === s).length
  const totals = data.entries.flatMap((e) => (e.ms?.total === undefined ? [] : [e.ms.total])).sort((a, b) => a - b)
  const pct = (p: number): string => (totals.length === 0 ? '—' : ms(totals[Math.min(totals.length - 1, Math.floor(p * totals.length))]))
  const lines = [
    `<p>${data.entries.length} inputs: ${count('ok')} done, ${count('failed')} failed, ${count('skipped')} skipped. Milliseconds per image: p50 ${pct(0.5)}, p90 ${pct(0.9)}, max ${pct(1)}.</p>`,
  ]
  const failures = data.entries.flatMap((e, i) => (e.status === 'failed' ? [{e, page: Math.floor(i / data.pageSize) + 1}] : []))
  if (failures.length > 0) {
    const rows = failures
      .slice(0, FAILURES_LISTED)
      .map(({e, page}) => [`<code>${esc(e.input)}</code>`, esc(e.error ?? ''), `<a href="${pageFile(page)}">page ${page}</a>`])
    lines.push(table([{label: 'failed input'}, {label: 'reason'}, {label: 'on'}], rows))
    if (failures.length > FAILURES_LISTED) lines.push(`<p class="note">… and ${failures.length - FAILURES_LISTED} more failures (all are in sheet.json).</p>`)
  }
  return lines.join('\n')
}
