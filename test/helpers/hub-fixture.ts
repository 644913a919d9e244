import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fixture} from './fixtures.js'

/** The tiny DPT-Hybrid fixture as a hub repository (read at test time: no new binaries are committed). */
export function tinyRepo(): Record<string, Buffer> {
  const dir = fixture('models', 'dpt-hybrid-tiny')
  const files: Record<string, Buffer> = {}
  for (const path of ['config.json', 'preprocessor_config.json', 'dpt-card.json', 'onnx/model.onnx']) files[path] = readFileSync(join(dir, path))
  return files
}

export const TINY_REPO = 'test-org/dpt-hybrid-tiny'

const file = (path: string) => ({path, size: null, sha256: null})
const card = {
  from: 'dpt-card.json',
  preprocess: {height: 384, width: 384, keepAspect: true, rule: 'minimal', multiple: 32, resize: 'cv2-cubic', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]},
  upsample: 'bicubic',
}

/** A registry for the tests (DPT_REGISTRY): `tiny` on the local hub as the depth default, `tiny-seg` export-only as the segmentation default. */
export function writeTestRegistry(extra: object[] = []): string {
  const registry = {
    schema: 'dpt-model-registry/1',
    defaults: {depth: 'tiny', segmentation: 'tiny-seg'},
    models: [
      {
        id: 'tiny',
        title: 'tiny random DPT-Hybrid',
        task: 'depth',
        params: '50k',
        licence: {spdx: 'CC0-1.0', url: 'https://example.org/cc0'},
        source: {
          repo: TINY_REPO,
          revision: 'main',
          files: [file('config.json'), file('preprocessor_config.json'), file('dpt-card.json')],
          dtypes: {fp32: [file('onnx/model.onnx')]},
        },
        export: null,
        card: {...card, semantics: 'relative-inverse-depth', output: 'random'},
        reported: null,
        notes: 'test',
      },
      {
        id: 'tiny-seg',
        title: 'tiny ADE20K',
        task: 'segmentation',
        params: null,
        licence: {spdx: 'MIT', url: 'https://example.org/mit'},
        source: null,
        export: {
          checkpoint: {file: 'tiny-ade.pt', url: 'https://example.org/tiny-ade.pt', size: null, sha256Prefix: null},
          command:
            'tools/.venv/bin/python tools/export_model.py isl-org --checkpoint tiny-ade.pt --variant hybrid --task ade20k --out DIR && dpt models import DIR --id tiny-seg',
        },
        card: {...card, labels: 'ade20k-150', output: 'logits'},
        reported: null,
        notes: 'test',
      },
      ...extra,
    ],
  }
  const path = join(mkdtempSync(join(tmpdir(), 'dpt-registry-')), 'registry.json')
  writeFileSync(path, JSON.stringify(registry))
  return path
}

/** A child environment for the CLI: a fresh cache, the test registry, the local hub, no proxy from the host. */
export function hubEnv(endpoint: string, registry: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DPT_CACHE: mkdtempSync(join(tmpdir(), 'dpt-cache-')),
    DPT_REGISTRY: registry,
    HF_ENDPOINT: endpoint,
    DPT_HTTP_TIMEOUT: '5',
  }
  // undefined removes the variable from the child's environment (runCli)
  for (const v of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'HF_TOKEN', 'DPT_OFFLINE']) env[v] = undefined
  return {...env, ...extra}
}
