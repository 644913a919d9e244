type Scratchable = Float32Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Uint8Array<ArrayBuffer>

/**
 * Typed arrays lent out for one image's full-size work (the upsampled depth map, its 16-bit values, their PNG rows) and taken
 * back, instead of allocated per image. A fresh array of tens of megabytes comes from the kernel page by page
 * (a fault and a zeroed page each) and is unmapped again when collected; measured next to inference, that churn
 * slows onnxruntime's threads more than the same arithmetic into a reused array. At most `keep` arrays are held
 * idle (the largest ones), so the memory kept is bounded by the largest images seen, whatever the run's length.
 */
export class ScratchArrays<T extends Scratchable> {
  private readonly idle: ArrayBuffer[] = []

  constructor(
    private readonly view: (buffer: ArrayBuffer, length: number) => T,
    private readonly bytesPerElement: number,
    private readonly keep = 1,
  ) {}

  /** An array of exactly `length` elements, with unspecified contents: the caller writes every element. */
  take(length: number): T {
    const bytes = length * this.bytesPerElement
    const index = this.idle.findIndex((b) => b.byteLength >= bytes)
    const buffer = index >= 0 ? this.idle.splice(index, 1)[0]! : new ArrayBuffer(bytes)
    return this.view(buffer, length)
  }

  /** Returns an array from take(); the caller must not touch it afterwards. */
  give(array: T): void {
    this.idle.push(array.buffer)
    this.idle.sort((a, b) => b.byteLength - a.byteLength)
    this.idle.length = Math.min(this.idle.length, this.keep)
  }

  /** Bytes held idle (for tests and memory reports). */
  get idleBytes(): number {
    return this.idle.reduce((sum, b) => sum + b.byteLength, 0)
  }
}

export const floatScratch = (keep = 1): ScratchArrays<Float32Array<ArrayBuffer>> => new ScratchArrays((b, n) => new Float32Array(b, 0, n), 4, keep)
export const uint16Scratch = (keep = 1): ScratchArrays<Uint16Array<ArrayBuffer>> => new ScratchArrays((b, n) => new Uint16Array(b, 0, n), 2, keep)
export const uint8Scratch = (keep = 1): ScratchArrays<Uint8Array<ArrayBuffer>> => new ScratchArrays((b, n) => new Uint8Array(b, 0, n), 1, keep)
