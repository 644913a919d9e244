import {cudaInstallCommand} from '../../process/cuda-install.js'

/** The execution providers --provider accepts (onnxruntime-node's names). */
export const PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu', 'dml', 'coreml'] as const
export type Provider = (typeof PROVIDERS)[number]

/** What to do to get a provider that could not start. */
export function providerRemedy(provider: string): string {
  const remedy: Record<string, string> = {
    cuda: `onnxruntime-node's CUDA provider is a separate download, not made at install: on a machine with an NVIDIA GPU and the CUDA 12 + cuDNN 9 runtime, add it with: ${cudaInstallCommand()}`,
    tensorrt: 'TensorRT needs the CUDA libraries and TensorRT on a machine with an NVIDIA GPU',
    dml: 'DirectML exists on Windows only',
    coreml: 'CoreML exists on macOS only',
    webgpu: 'WebGPU needs a GPU adapter this machine does not expose',
  }
  return remedy[provider] ?? ''
}

/** Why a requested execution provider could not start, and what to do: the pool then runs on cpu. */
export function providerFallbackMessage(provider: string, cause: string): string {
  return `execution provider ${provider} is unavailable (${cause.split('\n')[0]}); running on cpu. ${providerRemedy(provider)}`.trim()
}
