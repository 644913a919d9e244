/** One input of a `dpt depth` / `dpt segment` run as the contact sheet lists it. */
export interface ContactEntry {
  /** The input as the run names it (path relative to the working folder): the sort key. */
  readonly input: string
  readonly status: 'ok' | 'failed' | 'skipped'
  /** Why it failed or was skipped. */
  readonly error?: string
  readonly width?: number
  readonly height?: number
  /** Milliseconds per stage (decode, preprocess, infer, postprocess, write …) and in total. */
  readonly ms?: Readonly<Record<string, number>>
  /** Files the run wrote for it. */
  readonly outputs?: readonly string[]
  /** Thumbnails, relative to the sheet's folder (set by the sheet). */
  readonly thumbs?: {readonly input: string; readonly output: string; readonly width: number; readonly height: number}
  /** Depth: the range the output thumbnail was normalised over, in the output's unit. */
  readonly range?: {readonly min: number; readonly max: number}
  /** Segmentation: the classes covering the most pixels, [class index, share 0..1]. */
  readonly classes?: readonly (readonly [number, number])[]
}

/** The sheet's data (`sheet.json` in its folder): the pages are rendered from it alone. */
export interface ContactSheetData {
  readonly schema: 'dpt-contact-sheet'
  readonly version: 1
  readonly task: 'depth' | 'segmentation'
  readonly title: string
  /** Lines under the title: model, provider, totals. */
  readonly summary: readonly string[]
  readonly pageSize: number
  /** Depth: what the output colours mean; `unit` of `range`. */
  readonly depth?: {readonly colormap: string; readonly unit: string; readonly nearIsLarge: boolean}
  /** Segmentation: class names and their RGB (entry k for class k). */
  readonly classes?: {readonly names: readonly string[]; readonly colours: readonly (readonly [number, number, number])[]}
  /** Sorted by input. */
  readonly entries: readonly ContactEntry[]
}
