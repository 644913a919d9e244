/** The byte stream ended before a structure was complete (a killed ffmpeg, a truncated file). */
export class UnexpectedEnd extends Error {
  constructor(what: string) {
    super(`stream ended inside ${what}`)
    this.name = 'UnexpectedEnd'
  }
}

/**
 * Reads bytes on demand from an async stream of chunks (a child process's stdout), pulling the next chunk
 * only when the buffered bytes run out. So nothing is read ahead of the consumer beyond one chunk: when the
 * consumer stops asking, the pipe fills and the producer blocks (back-pressure).
 */
export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>
  #chunk: Uint8Array = new Uint8Array(0)
  #at = 0
  #ended = false
  /** Bytes consumed so far. */
  position = 0

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]()
  }

  /** Loads the next chunk; false at the end of the stream. */
  async #fill(): Promise<boolean> {
    while (this.#at >= this.#chunk.length) {
      if (this.#ended) return false
      const next = await this.#source.next()
      if (next.done === true) {
        this.#ended = true
        return false
      }
      this.#chunk = next.value
      this.#at = 0
    }
    return true
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.#fill())
  }

  async byte(what: string): Promise<number> {
    if (this.#at >= this.#chunk.length && !(await this.#fill())) throw new UnexpectedEnd(what)
    this.position++
    return this.#chunk[this.#at++]!
  }

  /** Copies the next `n` bytes into `into` (at `offset`), chunk by chunk. */
  async read(into: Uint8Array, offset: number, n: number, what: string): Promise<void> {
    let done = 0
    while (done < n) {
      if (this.#at >= this.#chunk.length && !(await this.#fill())) throw new UnexpectedEnd(what)
      const take = Math.min(n - done, this.#chunk.length - this.#at)
      into.set(this.#chunk.subarray(this.#at, this.#at + take), offset + done)
      this.#at += take
      done += take
    }
    this.position += n
  }

  async bytes(n: number, what: string): Promise<Uint8Array> {
    const out = new Uint8Array(n)
    await this.read(out, 0, n, what)
    return out
  }

  /** Stops the source early (e.g. the consumer closed the frame iterator). */
  async cancel(): Promise<void> {
    this.#ended = true
    await this.#source.return?.()
  }
}
