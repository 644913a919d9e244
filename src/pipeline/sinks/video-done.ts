import type {Sink} from '../sink.js'
import type {FileSample} from '../sources/files.js'
import {isFrame, type VideoJob} from '../sources/video-job.js'
import {removePartial} from '../sources/video-partial.js'

/**
 * The last sink of a run with videos: counts each video's frames as they leave the other sinks (every output of
 * a frame is written by then) and removes the video's partial folder once all its frames are through and none
 * failed. Until then the folder marks the video unfinished (video-partial.ts), which is what a resumed run reads.
 */
export class VideoDoneSink implements Sink<FileSample> {
  readonly #videos = new Map<VideoJob, {passed: number; last: number | undefined}>()

  async consume({sample}: {sample: FileSample}): Promise<string[]> {
    if (!isFrame(sample)) return []
    const {job, index, last, failed} = sample.frame
    const count = this.#videos.get(job) ?? {passed: 0, last: undefined}
    this.#videos.set(job, count)
    count.passed++
    if (last) {
      count.last = index
      if (failed !== undefined) job.broken ??= failed
    }
    if (count.last !== undefined && count.passed === count.last - job.resumeFrom + 1) {
      this.#videos.delete(job)
      if (job.broken === undefined) await removePartial(job.partialDir)
    }
    return []
  }

  dropped(sample: FileSample): void {
    if (isFrame(sample)) sample.frame.job.broken ??= `frame ${sample.frame.index} was not processed`
  }
}
