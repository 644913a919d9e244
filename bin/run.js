#!/usr/bin/env node
import {fileURLToPath} from 'node:url'
import {stopsWithParent, stopWhenOrphaned} from '../dist/src/process/orphan.js'
import {isGlibc, respawn, shouldRespawn} from '../dist/src/process/respawn.js'

const args = process.argv.slice(2)
if (stopsWithParent(process.env)) stopWhenOrphaned()
if (shouldRespawn(process.platform, process.env, args, isGlibc)) {
  respawn(fileURLToPath(import.meta.url), args)
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
