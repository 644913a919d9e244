/** oclif's conventions through its own plugins: help for a command, shell completion, a suggestion on a typo, --version. */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {stripVTControlCharacters} from 'node:util'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/fixtures.js'

// oclif keeps the completion cache below DPT_CACHE_DIR (its own variable; dpt's models live in DPT_CACHE).
const env = {DPT_CACHE_DIR: mkdtempSync(join(tmpdir(), 'dpt-oclif-cache-'))}

describe('oclif plugins', () => {
  it('dpt help depth and dpt depth --help print the same help (@oclif/plugin-help)', async () => {
    const [help, flag] = await Promise.all([runCli(['help', 'depth'], {env}), runCli(['depth', '--help'], {env})])
    assert.equal(help.code, 0, help.stderr)
    assert.match(help.stdout, /USAGE\n {2}\$ dpt depth INPUTS\.\.\./)
    assert.match(help.stdout, /--input-size=<value>/)
    assert.equal(help.stdout, flag.stdout)
  })

  it('dpt --version prints the package version', async () => {
    const r = await runCli(['--version'], {env})
    const {version} = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {version: string}
    assert.equal(r.code, 0)
    assert.match(r.stdout, new RegExp(`^dpt/${version.replaceAll('.', '\\.')} `))
  })

  it('dpt autocomplete script bash prints the completion setup, and the cache completes commands and flags (@oclif/plugin-autocomplete)', async () => {
    const r = await runCli(['autocomplete', 'script', 'bash'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /DPT_AC_BASH_SETUP_PATH=/)
    const setup = await runCli(['autocomplete', 'bash'], {env})
    assert.equal(setup.code, 0, setup.stderr)
    const functions = readFileSync(join(env.DPT_CACHE_DIR, 'autocomplete', 'functions', 'bash', 'dpt.bash'), 'utf8')
    assert.match(functions, /depth/)
    assert.match(functions, /--strict-provider/)
  })

  it('a typo gets "did you mean" in a terminal (@oclif/plugin-not-found), exit 127 when declined', async () => {
    // script(1) gives the command a terminal; "n" declines the suggestion.
    const output = await new Promise<{code: number | null; text: string}>((resolve, reject) => {
      const child = spawn('script', ['-qec', `node ${join(repoRoot, 'bin', 'run.js')} deph`, '/dev/null'], {env: {...process.env, ...env}})
      let text = ''
      let answered = false
      child.stdout.on('data', (d: Buffer) => {
        // Without colours and cursor moves.
        text += stripVTControlCharacters(d.toString())
        if (!answered && /Did you mean/.test(text)) {
          answered = true
          child.stdin.write('n\r')
        }
      })
      child.on('error', reject)
      child.on('close', (code) => {
        resolve({code, text})
      })
    })
    assert.match(output.text, /deph is not a dpt command/)
    assert.match(output.text, /Did you mean .*depth.*\?/)
    assert.equal(output.code, 127)
  })
})
