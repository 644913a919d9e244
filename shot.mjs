import {chromium} from 'playwright-core'
import {mkdtempSync} from 'node:fs'
const [url, out, w] = process.argv.slice(2)
const ctx = await chromium.launchPersistentContext(mkdtempSync('/tmp/ud-'), {executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'], viewport: {width: Number(w ?? 1300), height: 900}})
const page = await ctx.newPage()
page.on('console', m => console.log('console', m.type(), m.text()))
await page.goto(url)
await page.screenshot({path: out, fullPage: true})
await ctx.close()
