import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Extremes, type Ranked} from '../../src/html/eval/extremes.js'
import {random} from '../helpers/random.js'

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  const rnd = random(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

describe('worst and best N in one pass', () => {
  // Ties on purpose: badness in steps of 0.1, so ids decide between equals.
  const rnd = random(4)
  const images: Ranked[] = Array.from({length: 500}, (_, k) => ({id: `img_${String(k).padStart(3, '0')}`, badness: Math.round(rnd() * 30) / 10}))
  const sorted = [...images].sort((a, b) => b.badness - a.badness || (a.id < b.id ? -1 : 1))

  for (const seed of [1, 2, 3]) {
    it(`keeps exactly what a full sort keeps, in any arrival order (order ${seed}), and evicts the rest as it goes`, () => {
      const extremes = new Extremes(8)
      const live = new Set<string>()
      let kept = 0
      for (const image of shuffled(images, seed)) {
        const {kept: now, evicted} = extremes.offer(image)
        if (now) {
          live.add(image.id)
          kept++
        }
        for (const id of evicted) {
          assert.ok(live.delete(id), `${id} evicted but it was not kept`)
          assert.ok(!extremes.has(id))
        }
        assert.ok(live.size <= 16)
      }
      assert.deepEqual(
        extremes.worst().map((r) => r.id),
        sorted.slice(0, 8).map((r) => r.id),
      )
      assert.deepEqual(
        extremes.best().map((r) => r.id),
        sorted
          .slice(-8)
          .reverse()
          .map((r) => r.id),
      )
      assert.deepEqual([...live].sort(), [...extremes.worst(), ...extremes.best()].map((r) => r.id).sort(), 'what is kept is exactly what is alive')
      assert.ok(kept > 16 && kept < 120, `${kept} admissions for 500 images in a random order`)
    })
  }

  it('keeps an image in both lists once when there are few images, and ignores NaN', () => {
    const extremes = new Extremes(3)
    for (const [k, badness] of [0.5, 0.1, 0.9].entries()) assert.equal(extremes.offer({id: `a${k}`, badness}).kept, true)
    assert.deepEqual(
      extremes.worst().map((r) => r.id),
      ['a2', 'a0', 'a1'],
    )
    assert.deepEqual(
      extremes.best().map((r) => r.id),
      ['a1', 'a0', 'a2'],
    )
    assert.deepEqual(extremes.offer({id: 'x', badness: Number.NaN}), {kept: false, evicted: []})
    // Worst 3 and best 3 overlap while there are few images; an id is evicted only when neither list keeps it.
    const evictions = [0.3, 0.4, 0.2, 0.15].map((badness, k) => extremes.offer({id: `a${k + 3}`, badness}).evicted)
    assert.deepEqual(evictions, [[], [], [], ['a3']])
    assert.deepEqual(
      extremes.worst().map((r) => r.id),
      ['a2', 'a0', 'a4'],
    )
    assert.deepEqual(
      extremes.best().map((r) => r.id),
      ['a1', 'a6', 'a5'],
    )
  })
})
