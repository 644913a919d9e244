import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {checkFile, expectationFor, gitBlobSha1File, normaliseEtag, partKey} from '../../src/hub/verify.js'

const sha = 'a'.repeat(64)
const sha1 = 'b'.repeat(40)

describe('download verification', () => {
  it('normalises ETags as huggingface_hub does (weak marker and quotes dropped)', () => {
    assert.equal(normaliseEtag(`W/"${sha1}"`), sha1)
    assert.equal(normaliseEtag(`"${sha}"`), sha)
    assert.equal(normaliseEtag(undefined), undefined)
  })

  it('a pinned sha256 wins, then the LFS sha256, then the git blob sha1; anything else is unverifiable', () => {
    assert.deepEqual(expectationFor(sha, 'c'.repeat(64), undefined), {kind: 'pinned-sha256', sha256: sha})
    assert.deepEqual(expectationFor(null, sha, sha1), {kind: 'hub-sha256', sha256: sha})
    assert.deepEqual(expectationFor(null, undefined, sha1), {kind: 'hub-git-sha1', sha1})
    assert.deepEqual(expectationFor(null, undefined, 'abc-gzip'), {kind: 'none', why: "the hub's ETag abc-gzip is neither an LFS sha256 nor a git blob sha1"})
    // An X-Linked-Etag that is not a sha256 never falls back to the pointer's git ETag.
    assert.equal(expectationFor(null, 'not-a-hash', sha1).kind, 'none')
    assert.equal(partKey({kind: 'hub-git-sha1', sha1}), `git-${sha1}`)
    assert.equal(partKey({kind: 'none', why: ''}), undefined)
  })

  it('git blob sha1 equals `git hash-object` (blob <size>\\0 + content)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dpt-verify-')), 'f')
    writeFileSync(path, 'hello\n')
    // `printf 'hello\n' | git hash-object --stdin`
    assert.equal(await gitBlobSha1File(path, 6), 'ce013625030ba8dba906f756967f9e9ca394464a')
    const check = await checkFile(path, 6, {kind: 'hub-git-sha1', sha1: 'ce013625030ba8dba906f756967f9e9ca394464a'})
    assert.deepEqual(check, {sha256: createHash('sha256').update('hello\n').digest('hex'), verifiedBy: 'hub-git-sha1'})
    assert.match((await checkFile(path, 6, {kind: 'pinned-sha256', sha256: sha})).problem ?? '', /does not match the pinned a{64}/)
  })
})
