import {esc, href} from './escape.js'
import {PAGE_CSS} from './style.js'

export interface PageLink {
  readonly href: string
  readonly label: string
}

/** A titled part of a page; the page's navigation links to each. */
export interface PageSection {
  readonly id: string
  readonly title: string
  /** HTML. */
  readonly body: string
}

export interface PageOptions {
  readonly title: string
  /** Lines under the title (already HTML). */
  readonly subtitle?: readonly string[]
  /** Links to other pages, before the sections' links. */
  readonly links?: readonly PageLink[]
  readonly sections: readonly PageSection[]
}

/**
 * A complete static page: inline CSS, no script, no external resource — it opens from file:// offline and
 * reads the same with JavaScript off. `generator` names dpt so a page can be traced to the tool that wrote it.
 */
export function htmlPage(options: PageOptions): string {
  const targets = [...(options.links ?? []), ...(options.sections.length > 1 ? options.sections.map((s) => ({href: `#${s.id}`, label: s.title})) : [])]
  const nav = targets.length === 0 ? '' : `<nav class="sections">${targets.map(link).join('')}</nav>`
  const subtitle = (options.subtitle ?? []).map((line) => `<p>${line}</p>`).join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dpt">
<title>${esc(options.title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="top"><h1>${esc(options.title)}</h1>${subtitle}</header>
${nav}
<main>
${options.sections.map(sectionHtml).join('\n')}
</main>
</body>
</html>
`
}

export function link(target: PageLink): string {
  return `<a href="${target.href.startsWith('#') ? esc(target.href) : href(target.href)}">${esc(target.label)}</a>`
}

function sectionHtml(s: PageSection): string {
  return `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>\n${s.body}\n</section>`
}

export function section(id: string, title: string, body: string): PageSection {
  return {id, title, body}
}

export interface Column {
  readonly label: string
  readonly numeric?: boolean
}

/** A table of already-escaped cells; `rowClass` marks rows (failed images). */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[], rowClass?: (index: number) => string | undefined): string {
  const head = columns.map((c) => `<th${c.numeric === true ? ' class="num"' : ''}>${esc(c.label)}</th>`).join('')
  const body = rows
    .map((row, i) => {
      const cls = rowClass?.(i)
      const cells = row.map((cell, k) => `<td${columns[k]?.numeric === true ? ' class="num"' : ''}>${cell}</td>`).join('')
      return `<tr${cls === undefined ? '' : ` class="${esc(cls)}"`}>${cells}</tr>`
    })
    .join('\n')
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`
}

/** A chart (inline SVG from renderSvg) with a caption; `data-chart` names it for tests and readers. */
export function figure(name: string, svg: string, caption?: string): string {
  return `<figure data-chart="${esc(name)}">${svg}${caption === undefined ? '' : `<figcaption>${caption}</figcaption>`}</figure>`
}
