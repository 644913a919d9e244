import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {BUNDLED_REGISTRY, checkRegistryJson, filesFor, loadRegistry} from '../../src/hub/registry.js'

const bundled = (): {defaults: Record<string, string>; models: Record<string, unknown>[]} =>
  JSON.parse(readFileSync(BUNDLED_REGISTRY, 'utf8')) as ReturnType<typeof bundled>

describe('model registry', () => {
  it("the bundled registry passes its schema and names the issue's models", () => {
    assert.deepEqual(checkRegistryJson(bundled()), [])
    const registry = loadRegistry({})
    assert.deepEqual(registry.defaults, {depth: 'dpt-hybrid', segmentation: 'dpt-hybrid-ade20k'})
    assert.deepEqual(
      registry.models.map((m) => m.id),
      [
        'dpt-hybrid',
        'dpt-large',
        'dpt-hybrid-ade20k',
        'dpt-large-ade20k',
        'dpt-hybrid-kitti',
        'dpt-hybrid-nyu',
        'depth-anything-v2-small',
        'depth-anything-v2-base',
        'depth-anything-v2-large',
      ],
    )
    const hybrid = registry.models[0]!
    assert.equal(hybrid.source?.repo, 'Xenova/dpt-hybrid-midas')
    assert.deepEqual(
      filesFor(hybrid.source, 'q8')?.map((f) => f.path),
      ['config.json', 'preprocessor_config.json', 'onnx/model_quantized.onnx'],
    )
    assert.equal(hybrid.reported?.results.find((r) => r.dataset === 'NYU')?.value, 8.69)
    // Models without a published ONNX carry the isl-org checkpoint and the exporter + import command line.
    for (const id of ['dpt-hybrid-ade20k', 'dpt-large-ade20k', 'dpt-hybrid-kitti', 'dpt-hybrid-nyu']) {
      const entry = registry.models.find((m) => m.id === id)!
      assert.equal(entry.source, null, id)
      assert.match(
        entry.export!.command,
        new RegExp(
          `^tools/\\.venv/bin/python tools/export_model\\.py isl-org --checkpoint ${entry.export!.checkpoint.file} --variant (hybrid|large) --task (ade20k|kitti|nyu) --out DIR && dpt models import DIR --id ${id}$`,
        ),
      )
      assert.match(entry.export!.checkpoint.url, /^https:\/\/github\.com\/intel-isl\/DPT\/releases\/download\/1_0\/dpt_/)
    }
    assert.equal(registry.models.find((m) => m.id === 'dpt-hybrid-ade20k')?.export?.checkpoint.size, 496_529_233)
    assert.deepEqual(
      registry.models.filter((m) => m.id.startsWith('depth-anything')).map((m) => m.licence.spdx),
      ['Apache-2.0', 'CC-BY-NC-4.0', 'CC-BY-NC-4.0'],
    )
  })

  it('names each problem of a broken registry', () => {
    const broken = bundled()
    broken.defaults.depth = 'dpt-hybrid-ade20k'
    broken.models.push({...broken.models[1]!})
    ;(broken.models[0] as {source: {files: {sha256: string}[]}}).source.files[0]!.sha256 = 'abc'
    const problems = checkRegistryJson(broken)
    assert.ok(
      problems.some((p) => /\/models\/0\/source\/files\/0\/sha256 must match pattern/.test(p)),
      problems.join('\n'),
    )
    const semantic = bundled()
    semantic.defaults.depth = 'dpt-hybrid-ade20k'
    semantic.models.push({...semantic.models[1]!})
    assert.deepEqual(checkRegistryJson(semantic), ['id dpt-large is used twice', 'defaults.depth is dpt-hybrid-ade20k, a segmentation model'])
  })

  it('a model needs a source or an export recipe, and a depth card its semantics', () => {
    const r = bundled()
    Object.assign(r.models[2]!, {export: null})
    delete (r.models[0]!.card as Record<string, unknown>).semantics
    const problems = checkRegistryJson(r).join('\n')
    assert.match(problems, /\/models\/2 must match a schema in anyOf/)
    assert.match(problems, /\/models\/0\/card must have required property 'semantics'/)
  })
})
