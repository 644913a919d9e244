import type {Sample} from '../sample.js'
import type {Sink, SinkItem} from '../sink.js'
import {writeFileAtomic} from './atomic.js'

/** A file's bytes: one buffer, or parts written one after the other (a PNG around a zlib stream held elsewhere). */
export type FileBytes = Uint8Array | readonly Uint8Array[]

/** One output format: where a sample's file goes and how a prediction becomes its bytes. */
export interface FileFormat<S extends Sample, P> {
  path(sample: S): string
  encode(item: SinkItem<S, P>): Promise<FileBytes> | FileBytes
  /** The encoder reads the decoded pixels (overlays). */
  readonly needsPixels?: boolean
}

/** Writes one format's file per sample, atomically (writeFileAtomic): an output that exists is complete. */
export class FileSink<S extends Sample, P> implements Sink<S, P> {
  readonly needsPixels: boolean

  constructor(readonly format: FileFormat<S, P>) {
    this.needsPixels = format.needsPixels === true
  }

  outputs(sample: S): string[] {
    return [this.format.path(sample)]
  }

  async consume(item: SinkItem<S, P>): Promise<string[]> {
    const target = this.format.path(item.sample)
    await writeFileAtomic(target, await this.format.encode(item))
    return [target]
  }
}
