import assert from 'node:assert/strict'
import {test} from 'node:test'
import {renderRatio, renderRows, sameWork, type PeerRow} from '../../bench/lib/peers-report.js'

const row = (peer: PeerRow['peer'], imagesPerSecond: number, sizes: Record<string, number> = {'672x384': 30}): PeerRow => ({
  peer,
  dtype: 'fp32',
  imagesPerSecond,
  networkSizes: sizes,
})

test('bench:peers ratios: value against the target, met or MISSED; n/a when a peer did not run', () => {
  const dpt = row('dpt', 0.4)
  assert.equal(
    renderRatio({label: 'dpt / transformers.js', numerator: dpt, denominator: row('transformers.js', 0.35), target: 1.12}).replace(/ +/g, ' '),
    ' dpt / transformers.js 1.14× target ≥ 1.12× met',
  )
  assert.equal(
    renderRatio({label: 'dpt / PyTorch', numerator: dpt, denominator: row('PyTorch', 0.3), target: 1.4}).replace(/ +/g, ' '),
    ' dpt / PyTorch 1.33× target ≥ 1.40× MISSED',
  )
  assert.equal(
    renderRatio({label: 'dpt / bare', numerator: dpt, denominator: row('bare session.run', 0.41), target: 0.97, percent: true}).replace(/ +/g, ' '),
    ' dpt / bare 97.6 % target ≥ 97.0 % met',
  )
  assert.equal(
    renderRatio({label: 'dpt q8 / PyTorch', numerator: undefined, denominator: row('PyTorch', 0.3), target: 2}).replace(/ +/g, ' '),
    ' dpt q8 / PyTorch n/a target ≥ 2.00×',
  )
})

test('bench:peers equal work: the same sizes and counts for every peer, whatever the key order', () => {
  const a = row('dpt', 1, {'672x384': 29, '384x672': 1})
  assert.equal(sameWork([a, row('PyTorch', 1, {'384x672': 1, '672x384': 29})]), true)
  assert.equal(sameWork([a, row('PyTorch', 1, {'672x384': 30})]), false)
  assert.equal(sameWork([a, row('transformers.js', 1, {'672x384': 29, '384x672': 2})]), false)
})

test('bench:peers table: one line per peer with images/s, seconds per image and the sizes fed', () => {
  const lines = renderRows([{...row('transformers.js', 0.25), inferenceImagesPerSecond: 0.3, note: '400 ms/image around session.run'}])
  assert.equal(lines.length, 2)
  assert.equal(lines[1]!.replace(/ +/g, ' '), ' transformers.js fp32 0.250 4.00 0.300 images/s 672×384 ×30 (400 ms/image around session.run)')
})
