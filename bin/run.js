#!/usr/bin/env node
import {fileURLToPath} from 'node:url'
import {lifelines, stopWhenCut} from '../dist/src/process/orphan.js'
import {isGlibc, respawn, shouldRespawn} from '../dist/src/process/respawn.js'

const args = process.argv.slice(2)
stopWhenCut(lifelines(process.env, process))
if (shouldRespawn(process.platform, process.env, args, isGlibc)) {
  respawn(fileURLToPath(import.meta.url), args)
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
