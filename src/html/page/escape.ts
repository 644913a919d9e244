/** Text as HTML text or attribute value. */
export function esc(text: string | number): string {
  return String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

/** A relative path (POSIX separators) as a URL in an href/src: each segment percent-encoded, so `#`, `?`, `%` and spaces in file names resolve. */
export function href(relativePath: string): string {
  return relativePath
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/')
}
