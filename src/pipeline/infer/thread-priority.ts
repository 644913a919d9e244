import {readdirSync} from 'node:fs'
import {setPriority} from 'node:os'

/** This process's thread ids (Linux /proc); undefined where threads cannot be listed. */
export function threadIds(): number[] | undefined {
  try {
    return readdirSync('/proc/self/task').map(Number)
  } catch {
    return undefined
  }
}

/**
 * Raises the nice value of the given threads (Linux: nice is per thread, and threads they create later inherit
 * it). Used to let decoding, pre/post-processing and writing fill the gaps inference leaves instead of preempting
 * onnxruntime's threads, which stalls every parallel operator on its slowest thread. Raising nice needs no
 * privilege; failures (a thread gone, another OS) are ignored: priority is an optimisation, not a contract.
 */
export function lowerPriority(tids: readonly number[], nice: number): void {
  for (const tid of tids) {
    try {
      setPriority(tid, nice)
    } catch {
      // ignore
    }
  }
}
