import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {cacheDir} from './cache.js'
import type {RegistryEntry} from './registry.js'

/**
 * How a user exports a registry model that has no published ONNX, with nothing but the installed package: the
 * exporter (tools/export_model.py with tools/dpt_tools, its requirements, setup-venv.sh and the calibration
 * photographs) ships in the npm package (package.json `files`), so the commands name its installed path instead of
 * a clone's `tools/`. Issue 15 point 10.
 */
export interface ExportRoute {
  /** The folder holding export_model.py and setup-venv.sh: the package's own tools/. */
  readonly tools: string
  /** Where setup-venv.sh puts the exporter's Python packages: beside the model cache, which is writable. */
  readonly venv: string
  /** `PYTHON --version` when it runs, else undefined (setup-venv.sh uses $PYTHON, default python3). */
  readonly python: {readonly command: string; readonly version: string | undefined}
}

/** dist/src/hub/ → the package root, in a clone and in an installed package alike. */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export function exportRoute(env: NodeJS.ProcessEnv = process.env): ExportRoute {
  const command = env.PYTHON !== undefined && env.PYTHON !== '' ? env.PYTHON : 'python3'
  const probe = spawnSync(command, ['--version'], {encoding: 'utf8', timeout: 10_000})
  const version = probe.status === 0 ? `${probe.stdout}${probe.stderr}`.trim() : undefined
  return {tools: join(PACKAGE_ROOT, 'tools'), venv: join(cacheDir(env), 'export-venv'), python: {command, version}}
}

/** A word as a POSIX shell reads it back: quoted only when it has to be. */
const shellWord = (word: string): string => (/^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)

/**
 * The registry's recipe (written for a clone: `tools/.venv/bin/python tools/export_model.py … --out DIR && dpt
 * models import DIR --id ID`) as copyable lines for this installation: the checkpoint download, the one-time
 * virtualenv, the export into ./ID-onnx, the import.
 */
export function exportSteps(entry: RegistryEntry & {readonly export: NonNullable<RegistryEntry['export']>}, route: ExportRoute): string[] {
  const out = `${entry.id}-onnx`
  const word = (token: string): string => {
    if (token === 'tools/.venv/bin/python') return shellWord(join(route.venv, 'bin', 'python'))
    if (token.startsWith('tools/')) return shellWord(join(route.tools, token.slice('tools/'.length)))
    return token === 'DIR' ? out : token
  }
  const recipe = entry.export.command.split(' && ').map((step) => step.trim().split(/\s+/).map(word).join(' '))
  const {checkpoint} = entry.export
  return [
    `curl -L -o ${shellWord(checkpoint.file)} ${checkpoint.url}`,
    `DPT_TOOLS_VENV=${shellWord(route.venv)} bash ${shellWord(join(route.tools, 'setup-venv.sh'))}`,
    ...recipe,
  ]
}

/** What to tell a user whose model has no published ONNX: the checkpoint URL and commands that need no git clone. */
export function exportRemedyText(entry: RegistryEntry, route: ExportRoute = exportRoute()): string {
  if (entry.export === null) return 'This model has no published ONNX and no export recipe.'
  const exporter = join(route.tools, 'export_model.py')
  const size = entry.export.checkpoint.size === null ? '' : ` (${Math.round(entry.export.checkpoint.size / 1e6)} MB)`
  const python =
    route.python.version === undefined
      ? `${route.python.command} was not found: install Python 3.11+ first (or set PYTHON to one).`
      : `Needs Python 3.11+ (${route.python.command}: ${route.python.version}) and several GB of Python packages (PyTorch) in the virtualenv.`
  const lines = [
    `No ONNX of ${entry.id} is published (\`dpt models info ${entry.id}\` prints these lines unwrapped, to copy). Its checkpoint${size}:`,
    `  ${entry.export.checkpoint.url}`,
    existsSync(exporter)
      ? `Export it once with the exporter installed with dpt (no git clone). ${python}`
      : `The exporter is not in this installation (${exporter}); it is tools/export_model.py of dpt's repository. ${python}`,
    ...exportSteps({...entry, export: entry.export}, route).map((step) => `  ${step}`),
  ]
  return lines.join('\n')
}
