import {randomBytes} from 'node:crypto'
import {unlinkSync} from 'node:fs'
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {forgetTempFile, trackTempFile} from '../pipeline/sinks/atomic.js'

/**
 * A video is written under a temporary name next to its target and renamed into place only once ffmpeg has
 * finished it, as src/pipeline/sinks/atomic.ts does for images: an interrupted run never leaves a partial
 * video under the final name, and `--skip-existing` can trust any video it finds. The temporary name ends in
 * `.tmp`, which input discovery skips. Each temp file is also registered with the image pipeline's temp files
 * (pipeline/sinks/atomic.ts), which the scheduler removes on Ctrl-C, a second Ctrl-C included.
 */

/** Temp files of encoders still running, for cleanup on SIGINT / exit. */
const pending = new Set<string>()

export function videoTempPath(path: string): string {
  return join(dirname(path), `.${basename(path).slice(0, 100)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
}

/** Registers a temp file and makes sure its folder exists. */
export async function beginTemp(path: string): Promise<string> {
  await mkdir(dirname(path), {recursive: true})
  const temp = videoTempPath(path)
  pending.add(temp)
  trackTempFile(temp)
  return temp
}

/** Flushes the finished temp file to disk and renames it over the target. */
export async function commitTemp(temp: string, path: string): Promise<void> {
  try {
    const handle = await open(temp, 'r+')
    try {
      await handle.datasync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } finally {
    pending.delete(temp)
    forgetTempFile(temp)
  }
}

/** Deletes a temp file (an aborted or failed encode). */
export async function discardTemp(temp: string): Promise<void> {
  pending.delete(temp)
  forgetTempFile(temp)
  await rm(temp, {force: true}).catch(() => undefined)
}

/** Temp files of encoders that have not finished (a snapshot). */
export function pendingVideoTemps(): string[] {
  return [...pending]
}

/** For a SIGINT handler or `process.on('exit')`: deletes the temp files of every unfinished encoder. */
export function removePendingVideoTempsSync(): void {
  for (const temp of pending) {
    try {
      unlinkSync(temp)
    } catch {
      // Never created, or already gone.
    }
    forgetTempFile(temp)
  }
  pending.clear()
}
