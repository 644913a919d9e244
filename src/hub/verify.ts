import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import type {Verification} from './cache.js'

/** sha256 of a file, streamed (model files are hundreds of MB). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** git's blob id: sha1 of `blob <size>\0<content>`, what the hub's ETag holds for files not stored in LFS. */
export async function gitBlobSha1File(path: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(`blob ${size}\0`)
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** The hub's ETag without weak marker and quotes, as huggingface_hub normalises it. */
export const normaliseEtag = (etag: string | undefined): string | undefined => etag?.replace(/^W\//, '').replace(/^"|"$/g, '')

/** What a downloaded file will be checked against: a pinned sha256 wins, then the hub's LFS sha256, then git's sha1. */
export type Expectation =
  | {readonly kind: 'pinned-sha256' | 'hub-sha256'; readonly sha256: string}
  | {readonly kind: 'hub-git-sha1'; readonly sha1: string}
  | {readonly kind: 'none'; readonly why: string}

export function expectationFor(pinned: string | null, linkedEtag: string | undefined, etag: string | undefined): Expectation {
  if (pinned !== null) return {kind: 'pinned-sha256', sha256: pinned}
  if (linkedEtag !== undefined && /^[0-9a-f]{64}$/.test(linkedEtag)) return {kind: 'hub-sha256', sha256: linkedEtag}
  if (linkedEtag === undefined && etag !== undefined && /^[0-9a-f]{40}$/.test(etag)) return {kind: 'hub-git-sha1', sha1: etag}
  const seen = linkedEtag ?? etag
  return {kind: 'none', why: seen === undefined ? 'the hub sent no ETag' : `the hub's ETag ${seen} is neither an LFS sha256 nor a git blob sha1`}
}

/** The key a resumable .part file is stored under: the content it must become, so a resume never mixes two versions. */
export function partKey(expectation: Expectation): string | undefined {
  if (expectation.kind === 'hub-git-sha1') return `git-${expectation.sha1}`
  if (expectation.kind === 'none') return undefined
  return expectation.sha256
}

/** Checks a complete file; returns the problem, or undefined when it matches. */
export async function checkFile(path: string, size: number, expectation: Expectation): Promise<{sha256: string; problem?: string; verifiedBy: Verification}> {
  const sha256 = await sha256File(path)
  switch (expectation.kind) {
    case 'pinned-sha256':
    case 'hub-sha256':
      return sha256 === expectation.sha256
        ? {sha256, verifiedBy: expectation.kind}
        : {
            sha256,
            verifiedBy: expectation.kind,
            problem: `sha256 ${sha256} does not match the ${expectation.kind === 'pinned-sha256' ? 'pinned' : "hub's"} ${expectation.sha256}`,
          }
    case 'hub-git-sha1': {
      const sha1 = await gitBlobSha1File(path, size)
      return sha1 === expectation.sha1
        ? {sha256, verifiedBy: 'hub-git-sha1'}
        : {sha256, verifiedBy: 'hub-git-sha1', problem: `git blob sha1 ${sha1} does not match the hub's ETag ${expectation.sha1}`}
    }
    case 'none':
      return {sha256, verifiedBy: 'none'}
  }
}
