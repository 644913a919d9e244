import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {venvPython} from './models.js'
import {repoRoot} from './paths.js'

/** The JSON line tools/peer_torch.py prints. */
export interface TorchRun {
  readonly torch: string
  readonly threads: number
  readonly images: number
  readonly wallSeconds: number
  readonly imagesPerSecond: number
  readonly forwardMs: number[]
  readonly warmupForwardMs: number
  readonly buildSeconds: number
  readonly networkSizes: Record<string, number>
  readonly onnxCheck: {readonly image: string; readonly inputSize: [number, number]; readonly maxAbsDiff: number; readonly outputRange: [number, number]} | null
}

/**
 * The isl-org reference loop in PyTorch (tools/peer_torch.py) on the same random weights the benchmark ONNX was
 * exported from, over the same photos with the same threads, in its own Python process.
 */
export function runTorchPeer(arch: string, modelDir: string, photos: string, threads: number): Promise<TorchRun> {
  const outDir = mkdtempSync(join(tmpdir(), 'dpt-bench-torch-'))
  const args = [
    join(repoRoot, 'tools', 'peer_torch.py'),
    '--arch',
    arch,
    '--model',
    modelDir,
    '--images',
    photos,
    '--out',
    outDir,
    '--threads',
    String(threads),
  ]
  return new Promise((resolve, reject) => {
    const proc = spawn(venvPython(), args, {stdio: ['ignore', 'pipe', 'inherit']})
    let stdout = ''
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    proc.on('error', reject)
    proc.on('close', (code) => {
      rmSync(outDir, {recursive: true, force: true})
      if (code !== 0) reject(new Error(`tools/peer_torch.py exited ${code}`))
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as TorchRun)
    })
  })
}
