import assert from 'node:assert/strict'
import {execFile as execFileCb, execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {test} from 'node:test'
import {promisify} from 'node:util'
import {runCli} from '../helpers/cli.js'
import {fixture, repoRoot} from '../helpers/fixtures.js'
import {startLockfileRegistry} from '../helpers/lockfile-registry.js'

const execFile = promisify(execFileCb)

/** This process's environment less everything that would configure npm or onnxruntime-node's install script. */
function bareEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|ONNXRUNTIME_NODE_INSTALL)/i.test(key)))
}

/**
 * The packed package as a user installs it: `npm install -g` of the tarball into a fresh prefix, install
 * scripts on, no onnxruntime-node variable, no .npmrc (empty user and global config, cwd outside the clone).
 * npm resolves against a loopback registry made from package-lock.json and takes tarballs from the cache
 * `npm ci` filled, so nothing leaves the machine.
 */
test('npm pack, then npm install -g of the tarball: dpt --version and a depth job from the installed package', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dpt-pack-'))
  const registry = await startLockfileRegistry(join(repoRoot, 'package-lock.json'))
  try {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {name: string; version: string; scripts: Record<string, string>}
    // `npm pack` runs prepack = build + `tools/pack.mjs pre`; `npm test` has just built, so the test runs the rest.
    assert.match(pkg.scripts.prepack ?? '', /&& node tools\/pack\.mjs pre$/)
    assert.equal(pkg.scripts.postpack, 'node tools/pack.mjs post')
    execFileSync(process.execPath, ['tools/pack.mjs', 'pre'], {cwd: repoRoot})
    let packed: string
    try {
      const {stdout} = await execFile('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {cwd: repoRoot, maxBuffer: 64 << 20})
      const [info] = JSON.parse(stdout) as {filename: string; files: {path: string}[]}[]
      assert.ok(info !== undefined)
      for (const file of ['bin/run.js', 'oclif.manifest.json', 'node_modules/onnxruntime-node/package.json']) {
        assert.ok(
          info.files.some((f) => f.path === file),
          `${file} is packed`,
        )
      }
      packed = join(tmp, info.filename)
    } finally {
      execFileSync(process.execPath, ['tools/pack.mjs', 'post'], {cwd: repoRoot})
    }
    assert.ok(existsSync(join(repoRoot, 'oclif.manifest.json')), "post leaves the build's manifest in the clone")

    const [userrc, globalrc] = [join(tmp, 'user-npmrc'), join(tmp, 'global-npmrc')]
    writeFileSync(userrc, '')
    writeFileSync(globalrc, '')
    const cache = execFileSync('npm', ['config', 'get', 'cache'], {encoding: 'utf8'}).trim()
    const prefix = join(tmp, 'prefix')
    const npmArgs = ['install', '-g', '--prefix', prefix, '--registry', registry.url, '--cache', cache, '--userconfig', userrc, '--globalconfig', globalrc]
    await execFile('npm', [...npmArgs, '--no-audit', '--no-fund', '--no-update-notifier', packed], {cwd: tmp, env: bareEnv(), maxBuffer: 64 << 20})
    assert.deepEqual(registry.misses, [], 'every package from the registry documents, every tarball from the cache')

    const installed = join(prefix, 'lib', 'node_modules', pkg.name)
    const ort = join(installed, 'node_modules', 'onnxruntime-node')
    assert.equal((JSON.parse(readFileSync(join(ort, 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts.postinstall, undefined)
    assert.ok(!existsSync(join(ort, 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so')), 'no CUDA download')

    const dpt = join(prefix, 'bin', 'dpt')
    const version = await execFile(dpt, ['--version'], {cwd: tmp, env: bareEnv()})
    assert.match(version.stdout, new RegExp(`^${pkg.name}/${pkg.version.replaceAll('.', '\\.')} `))

    // Issue 15 point 10: the exporter ships with the package, and a model with no published ONNX (the default
    // segmentation model) points at the installed copy, so the route needs no clone.
    const shipped = ['tools/export_model.py', 'tools/setup-venv.sh', 'tools/requirements.txt', 'tools/dpt_tools/isl_org.py', 'tools/dpt_tools/calibration.py']
    for (const file of [...shipped, 'test/fixtures/images/coffee-160x120.png', 'test/fixtures/images/rocket-exif6-96x144.jpg']) {
      assert.ok(existsSync(join(installed, file)), `${file} is installed (export_model.py and its calibration photographs)`)
    }
    const seg = await execFile(dpt, ['segment', fixture('images', 'chelsea-120x160.png'), '-o', join(tmp, 'seg')], {
      cwd: tmp,
      env: {...bareEnv(), DPT_CACHE: join(tmp, 'cache'), PYTHON: join(tmp, 'no-python')},
    }).then(
      () => assert.fail('dpt segment ran without a segmentation model'),
      (error: unknown) => error as {code: number; stderr: string},
    )
    assert.equal(seg.code, 4, seg.stderr)
    const exporter = `${join(tmp, 'cache', 'export-venv', 'bin', 'python')} ${join(installed, 'tools', 'export_model.py')} isl-org --checkpoint dpt_hybrid-ade20k-53898607.pt`
    // oclif wraps error text hard at the terminal width, inside words too, each line indented ' ›   '.
    const unwrapped = seg.stderr.replace(/\n › {3}/g, '')
    assert.ok(unwrapped.includes(exporter), `${exporter} in:\n${seg.stderr}`)
    assert.ok(unwrapped.includes('https://github.com/intel-isl/DPT/releases/download/1_0/dpt_hybrid-ade20k-53898607.pt'), seg.stderr)

    // The installed package writes the same bytes as the clone.
    const inputs = [fixture('images', 'chelsea-120x160.png'), fixture('images', 'rocket-exif6-96x144.jpg')]
    const model = fixture('models', 'dpt-hybrid-tiny')
    const run = await execFile(dpt, ['depth', ...inputs, '-o', join(tmp, 'out'), '--model', model, '--json'], {cwd: tmp, env: bareEnv()})
    assert.deepEqual((JSON.parse(run.stdout) as {counts: {processed: number; failed: number}}).counts.processed, 2)
    const clone = await runCli(['depth', ...inputs, '-o', join(tmp, 'out-clone'), '--model', model])
    assert.equal(clone.code, 0, clone.stderr)
    for (const name of ['chelsea-120x160.png', 'rocket-exif6-96x144.png']) {
      assert.deepEqual(readFileSync(join(tmp, 'out', name)), readFileSync(join(tmp, 'out-clone', name)), name)
    }
  } finally {
    await registry.close()
    rmSync(tmp, {recursive: true, force: true})
  }
})
