import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {RunResult} from '../../src/pipeline/images.js'
import {summaryLines} from '../../src/ui/summary.js'

/** The fields summaryLines reads, for an interrupted run over a video. */
const interrupted = {
  counts: {files: 1, processed: 31, failed: 0, skippedExisting: 0, notImages: 0, notStarted: 169},
  timing: {wallMs: 5100, imagesPerSecond: 6.1, latencyMs: {p50: 499.5}},
  model: {name: 'dpt-hybrid-tiny'},
  executionProvider: 'cpu',
  workers: 1,
  threads: 2,
  failures: [],
  notImages: [],
  notes: ['1 unfinished video(s) keep their finished segments in out/.clip.dpt-partial: the same command with --skip-existing resumes them'],
  interrupted: true,
} as unknown as RunResult

describe('summaryLines (the human summary on stderr)', () => {
  it('an interrupted run: the kept partial folder as a note, then what was not processed and that nothing is half-written', () => {
    assert.deepEqual(summaryLines(interrupted, 'out'), [
      '31 image(s) written to out in 5.1 s (6.10 img/s, p50 499.5 ms, model dpt-hybrid-tiny on cpu, 1×2 threads)',
      'note: 1 unfinished video(s) keep their finished segments in out/.clip.dpt-partial: the same command with --skip-existing resumes them',
      'interrupted: 169 image(s) not processed; no file was left half-written under its final name',
    ])
  })
})
