/**
 * A command with a bug (it throws a TypeError), run through oclif exactly as bin/run.js runs dpt's commands, so a
 * test can see what an internal error looks like: exit code 1, with and without --json. It runs only when
 * DPT_TEST_BUG_COMMAND=1: node --test also loads every file below test/.
 */
import {flush, handle} from '@oclif/core'
import {DptCommand} from '../../src/cli/base.js'
import {repoRoot} from './fixtures.js'

class Bug extends DptCommand {
  async run(): Promise<void> {
    await this.parse(Bug)
    const value = null as unknown as {size: number}
    // The bug: a property read on null.
    this.log(String(value.size))
  }
}

if (process.env.DPT_TEST_BUG_COMMAND === '1') {
  await Bug.run(process.argv.slice(2), repoRoot).then(
    async () => flush(),
    async (error: unknown) => handle(error as Error),
  )
}
