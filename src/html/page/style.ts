/** The pages' one stylesheet, inlined in each page so that any page opens on its own from file://. */
export const PAGE_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg2: #f6f8fa; --better: #1a7f37; --worse: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); }
header.top { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
header.top p { margin: 2px 0; color: var(--muted); }
nav.sections { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 8px 24px; background: var(--bg2); border-bottom: 1px solid var(--line); }
main { padding: 8px 24px 48px; max-width: 1400px; }
section { margin-top: 28px; }
h2 { font-size: 17px; margin: 0 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.note { color: var(--muted); margin: 4px 0 10px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--bg2); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.better { color: var(--better); font-weight: 600; }
.worse { color: var(--worse); font-weight: 600; }
.same { color: var(--muted); }
figure { margin: 8px 0 16px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 12px 0; }
.card h3 { margin: 0 0 6px; font-size: 14px; word-break: break-all; }
.panels { display: flex; flex-wrap: wrap; gap: 10px; }
.panel { margin: 0; }
.panel img { display: block; max-width: 256px; height: auto; border: 1px solid var(--line); image-rendering: auto; }
.panel figcaption { font-size: 12px; }
.aside { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.aside img { display: block; }
img.key { max-width: none; border: 0; }
.swatch { display: inline-block; width: 11px; height: 11px; border: 1px solid #0003; vertical-align: -1px; margin-right: 3px; }
.pager { margin: 10px 0; display: flex; flex-wrap: wrap; gap: 4px 8px; }
.pager a, .pager span { padding: 1px 6px; border: 1px solid var(--line); border-radius: 4px; text-decoration: none; }
.pager span.current { background: var(--fg); color: #fff; }
table.sheet td { vertical-align: middle; }
table.sheet img { display: block; max-width: 192px; max-height: 192px; }
tr.failed td { background: #fff1f0; }
code { font-size: 12.5px; }
`
