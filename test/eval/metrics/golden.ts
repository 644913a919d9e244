import {readFileSync} from 'node:fs'
import assert from 'node:assert/strict'
import {fixture} from '../../helpers/fixtures.js'

/** JSON has no NaN/inf: tools/eval_reference.py writes them as strings. */
export function f32(values: readonly (number | string)[]): Float32Array {
  return Float32Array.from(values, (v) => (typeof v === 'number' ? v : v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : -Infinity))
}

export function loadGolden(name: string): unknown {
  return JSON.parse(readFileSync(fixture('eval', name), 'utf8'))
}

/** |actual − expected| ≤ absolute + relative·|expected|, with the metric named in the failure. */
export function assertClose(actual: number | null | undefined, expected: number | null, relative: number, absolute: number, what: string): void {
  if (expected === null) {
    assert.ok(actual === null || Number.isNaN(actual), `${what}: expected null/NaN, got ${actual}`)
    return
  }
  assert.equal(typeof actual, 'number', `${what}: expected ${expected}, got ${actual}`)
  const a = actual as number
  assert.ok(Math.abs(a - expected) <= absolute + relative * Math.abs(expected), `${what}: ${a} vs reference ${expected}`)
}
