/**
 * npm run bench:video [-- --width 1920 --height 1080 --frames 20 --long 200 --rounds 1 --format mkv16,mp4 --threads 2]
 *
 * `dpt depth` on a generated clip (ffmpeg's testsrc2 pattern, H.264) with the full-size random-weight DPT-Hybrid,
 * end to end in its own process (decoding, inference, the normalised frames through the encoders, the joins),
 * against bare session.run on the same frames with the same threads (decoded beforehand, outside the timing):
 * frames/s of both and their ratio (issue 17 target ≥ 95 %); the CPU time ffmpeg's processes took (every ffmpeg
 * dpt starts runs through a wrapper script that logs its children's CPU time with the shell's `times`), as a
 * share of the run's CPU; and dpt's peak RSS over the clip and over a clip `--long` frames long (10× by default;
 * flat within 10 % is the target; `--long 0` skips it). Prints figures; asserts nothing. Linux.
 */
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import type {DecodedImage} from '../src/pipeline/decode.js'
import type {RunResult} from '../src/pipeline/images.js'
import {frameImage} from '../src/pipeline/sources/video-frames.js'
import {decodeVideo} from '../src/video/decode.js'
import {type FfmpegInstall, locateFfmpeg} from '../src/video/ffmpeg-locate.js'
import {probeVideo} from '../src/video/probe.js'
import {runTool} from '../src/video/run-tool.js'
import {bareSessionRunOn} from './lib/bare.js'
import {runDptJson} from './lib/cli.js'
import {ensureBenchModel} from './lib/models.js'
import {benchCache} from './lib/paths.js'

const {values} = parseArgs({
  options: {
    width: {type: 'string', default: '1920'},
    height: {type: 'string', default: '1080'},
    frames: {type: 'string', default: '20'},
    long: {type: 'string', default: '200'},
    rounds: {type: 'string', default: '1'},
    format: {type: 'string', default: 'mkv16,mp4'},
    threads: {type: 'string', default: String(availableParallelism())},
    arch: {type: 'string', default: 'dpt-hybrid'},
  },
})

const fmt = (n: number, digits = 3): string => n.toFixed(digits)
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

/** A generated clip at 30 frames/s with audio (as a camera's), cached in the bench cache. */
async function ensureClip(ff: FfmpegInstall, width: number, height: number, frames: number): Promise<string> {
  const dir = join(benchCache, 'clips')
  const path = join(dir, `testsrc2-${width}x${height}-${frames}.mp4`)
  if (existsSync(path)) return path
  mkdirSync(dir, {recursive: true})
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`]
  args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-map', '0:v', '-map', '1:a', '-c:a', 'aac', '-shortest')
  args.push('-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', `${path}.tmp.mp4`)
  await runTool(ff.ffmpeg.path, args, {timeoutMs: 3_600_000})
  writeFileSync(path, readFileSync(`${path}.tmp.mp4`))
  rmSync(`${path}.tmp.mp4`)
  return path
}

/**
 * An ffmpeg that logs its CPU time: a shell script running the real one and appending the shell's `times` (the
 * second line: user and system time of its finished children) to a log. dpt finds ffprobe next to it.
 */
function cpuLoggingFfmpeg(ff: FfmpegInstall): {dir: string; log: string} {
  const dir = mkdtempSync(join(tmpdir(), 'dpt-bench-ffmpeg-'))
  const log = join(dir, 'cpu.log')
  // `times` prints two lines, the shell's own times and its children's; not in a pipe (a subshell has no children).
  const script = `#!/bin/bash\n"${ff.ffmpeg.path}" "$@"\nrc=$?\ntimes >> "${log}"\nexit $rc\n`
  writeFileSync(join(dir, 'ffmpeg'), script)
  chmodSync(join(dir, 'ffmpeg'), 0o755)
  return {dir, log}
}

/** Seconds of CPU in the log: per ffmpeg run (the version checks included), the second line `0m1.234s 0m0.056s` of `times`. */
function loggedCpu(log: string): {seconds: number; runs: number} {
  if (!existsSync(log)) return {seconds: 0, runs: 0}
  const lines = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter((_, i) => i % 2 === 1)
  const toSeconds = (t: string): number => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t)
    return m === null ? 0 : Number(m[1]) * 60 + Number(m[2])
  }
  return {seconds: lines.reduce((sum, line) => sum + line.split(/\s+/).reduce((s, t) => s + toSeconds(t), 0), 0), runs: lines.length}
}

/**
 * dpt depth on the clip in its own process, with the logging ffmpeg: its result, the CPU seconds of its ffmpeg
 * processes, and of the whole run (dpt and everything it started: this process's children's CPU, from the OS).
 */
async function endToEnd(
  clip: string,
  model: string,
  wrapper: {dir: string; log: string},
  ff: FfmpegInstall,
): Promise<{run: RunResult; ffmpegCpu: number; cpu: number}> {
  const out = mkdtempSync(join(tmpdir(), 'dpt-bench-video-'))
  rmSync(wrapper.log, {force: true})
  const before = childrenCpu()
  try {
    process.env.DPT_FFMPEG = join(wrapper.dir, 'ffmpeg')
    process.env.DPT_FFPROBE = ff.ffprobe.path
    const run = await runDptJson<RunResult>(['depth', clip, '-o', out, '--model', model, '--threads', values.threads, '--format', values.format])
    return {run, ffmpegCpu: loggedCpu(wrapper.log).seconds, cpu: childrenCpu() - before}
  } finally {
    rmSync(out, {recursive: true, force: true})
  }
}

/** CPU seconds of this process's finished children (and theirs), cumulative: /proc/self/stat cutime + cstime. */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ')
  const ticks = Number(fields[13]) + Number(fields[14])
  return ticks / 100
}

async function main(): Promise<void> {
  const [width, height, frames, long, rounds] = [values.width, values.height, values.frames, values.long, values.rounds].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ]
  const ff = await locateFfmpeg({env: process.env})
  const model = ensureBenchModel(values.arch)
  const clip = await ensureClip(ff, width, height, frames)
  const wrapper = cpuLoggingFfmpeg(ff)
  console.log(
    `clip: ${clip} (${width}×${height}, ${frames} frames, H.264 + AAC); model ${values.arch} (random weights); threads ${values.threads}; --format ${values.format}`,
  )
  console.log(`ffmpeg ${ff.ffmpeg.version.text} (${ff.ffmpeg.source})`)

  // The frames as the pipeline decodes them, kept in memory so that decoding stays outside bare's timing.
  const decoded: DecodedImage[] = []
  const probe = await probeVideo(ff, clip)
  for await (const frame of await decodeVideo(ff, probe)) decoded.push(frameImage(frame, probe.video.codec))
  const init = {provider: 'cpu', threads: Number(values.threads), graphOptimizationLevel: 'all', memArena: true, memPattern: true, spin: false} as const
  const bare = (): Promise<number[]> => bareSessionRunOn(model, decoded, (image) => Promise.resolve(image), init)

  const e2eRates: number[] = []
  const bareRates: number[] = []
  const shares: number[] = []
  let last: RunResult | undefined
  for (let r = 0; r < rounds; r++) {
    const e2e = async (): Promise<void> => {
      const {run, ffmpegCpu, cpu} = await endToEnd(clip, model, wrapper, ff)
      e2eRates.push(run.counts.processed / (run.timing.wallMs / 1000))
      shares.push(ffmpegCpu / cpu)
      last = run
      console.log(
        `  e2e round ${r + 1}: ${run.counts.processed} frames in ${fmt(run.timing.wallMs / 1000, 1)} s; ffmpeg CPU ${fmt(ffmpegCpu, 2)} s of ${fmt(cpu, 1)} s`,
      )
    }
    // e2e first in even rounds, bare first in odd ones (a drifting machine weighs on both).
    if (r % 2 === 0) await e2e()
    const ms = await bare()
    bareRates.push(ms.length / (ms.reduce((a, b) => a + b, 0) / 1000))
    if (r % 2 === 1) await e2e()
  }
  const [e2eRate, bareRate] = [mean(e2eRates), mean(bareRates)]
  const stage = last!.timing.stageMs
  console.log(`\n${values.arch}, ${width}×${height}, ${frames} frames, ${rounds} round(s)`)
  console.log(`  end to end        ${fmt(e2eRate)} frames/s  (rounds: ${e2eRates.map((x) => fmt(x)).join(', ')})`)
  console.log(`  bare session.run  ${fmt(bareRate)} frames/s  (rounds: ${bareRates.map((x) => fmt(x)).join(', ')})`)
  console.log(`  ratio             ${fmt((e2eRate / bareRate) * 100, 1)} %  (target ≥ 95 %)`)
  console.log(`  ffmpeg CPU share  ${fmt(mean(shares) * 100, 1)} % of the run's CPU (decoding, encoding, joins, probes)`)
  console.log(
    `  stages p50 (ms)   decode ${stage.decode.p50}, preprocess ${stage.preprocess.p50}, queue ${stage.queue.p50}, infer ${stage.infer.p50}, ` +
      `postprocess ${stage.postprocess.p50}, write ${stage.write.p50}`,
  )
  console.log(`  peak RSS          ${last!.timing.peakRssMb} MiB`)
  if (long > 0) {
    const longClip = await ensureClip(ff, width, height, long)
    const {run} = await endToEnd(longClip, model, wrapper, ff)
    const growth = (run.timing.peakRssMb / last!.timing.peakRssMb - 1) * 100
    console.log(
      `  peak RSS, ${long} frames  ${run.timing.peakRssMb} MiB (${growth >= 0 ? '+' : ''}${fmt(growth, 1)} % vs ${frames} frames; target within 10 %); ` +
        `${fmt(run.counts.processed / (run.timing.wallMs / 1000))} frames/s`,
    )
  }
  rmSync(wrapper.dir, {recursive: true, force: true})
}

await main()
