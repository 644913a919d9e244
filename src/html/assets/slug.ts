import {createHash} from 'node:crypto'

/**
 * A folder name for an image id (a dataset-relative path): readable, safe on every file system, and unique
 * (a hash of the id tells `a/x.jpg` from `a_x.jpg`).
 */
export function slugOf(id: string): string {
  const readable = id
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-60)
  return `${readable}-${createHash('sha1').update(id).digest('hex').slice(0, 8)}`
}
