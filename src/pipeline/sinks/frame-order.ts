import type {Sink, SinkItem} from '../sink.js'
import {isFrame, type VideoJob} from '../sources/video-job.js'
import type {FileSample} from '../sources/files.js'

/** Where one video stands in a FrameOrderSink. */
interface Turns {
  /** The frame whose turn it is. */
  next: number
  /** Frames waiting for their turn, by index. */
  readonly waiting: Map<number, () => void>
  /** Frames inside the wrapped sinks now (their turn passes when they leave). */
  readonly active: Set<number>
  /** Frames dropped before their turn: the turn passes over them. */
  readonly gone: Set<number>
}

/**
 * Hands the frames of each video to the wrapped sinks one at a time and in order (frames finish out of order
 * when several are in flight), for what needs order: an encoder, the one-pass normaliser. A frame waits for its
 * turn holding its place in the scheduler and its prediction (nothing is copied), so no more frames wait than
 * the scheduler holds at once. The turn passes when the frame leaves the wrapped sinks, or when the scheduler says
 * a frame will not come (dropped: failed, or interrupted); the video is then marked broken, and the wrapped sinks
 * stop its ordered outputs. Still images go straight through.
 */
export class FrameOrderSink<S extends FileSample, P> implements Sink<S, P> {
  readonly needsPixels: boolean
  readonly #videos = new Map<VideoJob, Turns>()

  constructor(readonly targets: readonly Sink<S, P>[]) {
    this.needsPixels = targets.some((t) => t.needsPixels === true)
  }

  outputs(sample: S): string[] {
    return this.targets.flatMap((t) => t.outputs?.(sample) ?? [])
  }

  async consume(item: SinkItem<S, P>): Promise<string[]> {
    const {sample} = item
    if (!isFrame(sample)) return this.#pass(item)
    const {job, index} = sample.frame
    const turns = this.#turns(job)
    if (index !== turns.next) await new Promise<void>((resolve) => turns.waiting.set(index, resolve))
    turns.active.add(index)
    try {
      return await this.#pass(item)
    } finally {
      turns.active.delete(index)
      this.#advance(turns, index + 1)
    }
  }

  dropped(sample: S): void {
    if (!isFrame(sample)) return
    const {job, index} = sample.frame
    job.broken ??= `frame ${index} was not processed`
    const turns = this.#turns(job)
    if (index >= turns.next && !turns.active.has(index)) {
      turns.gone.add(index)
      if (index === turns.next) this.#advance(turns, index)
    }
    for (const target of this.targets) target.dropped?.(sample)
  }

  async complete(): Promise<void> {
    for (const target of this.targets) await target.complete?.()
  }

  async dispose(): Promise<void> {
    for (const target of this.targets) await target.dispose?.()
  }

  async #pass(item: SinkItem<S, P>): Promise<string[]> {
    const outputs: string[] = []
    for (const target of this.targets) outputs.push(...(await target.consume(item)))
    return outputs
  }

  #turns(job: VideoJob): Turns {
    let turns = this.#videos.get(job)
    if (turns === undefined) {
      turns = {next: job.resumeFrom, waiting: new Map(), active: new Set(), gone: new Set()}
      this.#videos.set(job, turns)
    }
    return turns
  }

  /** The turn goes to frame `next`, or past it while it was dropped; the frame then waiting is woken. */
  #advance(turns: Turns, next: number): void {
    turns.next = next
    while (turns.gone.delete(turns.next)) turns.next++
    const wake = turns.waiting.get(turns.next)
    if (wake !== undefined) {
      turns.waiting.delete(turns.next)
      wake()
    }
  }
}
