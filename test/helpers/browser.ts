/**
 * Headless Chromium for the HTML report's tests: the OS package (/usr/bin/chromium, installed by .ci/run),
 * driven by playwright-core; never a downloaded browser. A missing browser fails the tests loudly.
 */
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {chromium, type BrowserContext} from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Screenshots of each page kind, kept as test artifacts (git-ignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url))

// Root has no sandbox user namespace; the rest keeps a closed network quiet (no update, sync, QUIC or GPU probes).
const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
]

export interface Browser {
  readonly context: BrowserContext
  close(): Promise<void>
}

/** Starts Chromium with a fresh profile folder; throws (never skips) when the OS browser is not installed. */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the HTML report's browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it).`)
  }
  const profile = await mkdtemp(join(tmpdir(), 'dpt-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {executablePath: CHROMIUM, args: ARGS, viewport: {width: 1280, height: 900}, headless: true})
  return {
    context,
    async close() {
      await context.close()
      await rm(profile, {recursive: true, force: true})
    },
  }
}

export interface PageReport {
  /** console.error / console.warning messages and uncaught page errors. */
  readonly consoleErrors: readonly string[]
  /** Every request that was not for a file (there must be none). */
  readonly network: readonly string[]
  /** Requests that failed (a missing file). */
  readonly failed: readonly string[]
  readonly images: number
  /** <img> that did not decode. */
  readonly brokenImages: readonly string[]
  readonly links: number
  /** <a href> whose file, or whose #anchor in it, does not exist; or that leaves file://. */
  readonly brokenLinks: readonly string[]
  /** Count of elements per selector asked for. */
  readonly counts: Readonly<Record<string, number>>
  /** Texts of the elements per selector asked for in `texts`. */
  readonly texts: Readonly<Record<string, readonly string[]>>
}

/** Opens a page from file://, loads every image (lazy ones too), checks its links, counts `selectors`, takes screenshots. */
export async function inspectPage(
  browser: Browser,
  path: string,
  screenshot: string,
  selectors: readonly string[] = [],
  textSelectors: readonly string[] = [],
): Promise<PageReport> {
  const page = await browser.context.newPage()
  const consoleErrors: string[] = []
  const network: string[] = []
  const failed: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`))
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) network.push(r.url())
  })
  page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText ?? '?'})`))
  try {
    await page.goto(pathToFileURL(path).href, {waitUntil: 'load'})
    const images = await page.evaluate(async () => {
      const all = [...document.images]
      for (const img of all) img.loading = 'eager'
      const results = await Promise.allSettled(all.map((img) => img.decode()))
      return all.map((img, k) => ({src: img.src, ok: results[k]!.status === 'fulfilled' && img.naturalWidth > 0}))
    })
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href))
    const brokenLinks: string[] = []
    for (const target of new Set(hrefs)) if (!(await linkResolves(target))) brokenLinks.push(target)
    const counts: Record<string, number> = {}
    for (const selector of selectors) counts[selector] = await page.locator(selector).count()
    const texts: Record<string, string[]> = {}
    for (const selector of textSelectors) texts[selector] = await page.locator(selector).allTextContents()
    await mkdir(SCREENSHOTS, {recursive: true})
    await page.screenshot({path: join(SCREENSHOTS, `${screenshot}.png`)})
    await page.screenshot({path: join(SCREENSHOTS, `${screenshot}.full.png`), fullPage: true})
    return {
      consoleErrors,
      network,
      failed,
      images: images.length,
      brokenImages: images.filter((i) => !i.ok).map((i) => i.src),
      links: hrefs.length,
      brokenLinks,
      counts,
      texts,
    }
  } finally {
    await page.close()
  }
}

/** A file:// link resolves when its file exists and, with a #fragment, the file has that id. */
async function linkResolves(url: string): Promise<boolean> {
  const parsed = new URL(url)
  if (parsed.protocol !== 'file:') return false
  const file = fileURLToPath(parsed)
  if (!existsSync(file)) return false
  if (parsed.hash === '') return true
  const id = decodeURIComponent(parsed.hash.slice(1))
  return (await readFile(file, 'utf8')).includes(`id="${id}"`)
}
