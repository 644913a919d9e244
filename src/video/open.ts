import {decodeVideo, type DecodedVideo, type DecodeOptions} from './decode.js'
import type {FfmpegInstall} from './ffmpeg-locate.js'
import {probeVideo, type ProbeOptions, type VideoProbe} from './probe.js'
import type {VideoContainer} from './sniff.js'
import {decodeAnimatedWebp, probeAnimatedWebp} from './webp-frames.js'

/**
 * The one entry for a video source: ffprobe + ffmpeg for everything, except animated WebP, which ffmpeg
 * cannot decode and sharp can. `container` is sniffVideo's verdict for the file.
 */
export async function probeMedia(install: FfmpegInstall, path: string, container: VideoContainer, options: ProbeOptions = {}): Promise<VideoProbe> {
  return container === 'webp' ? probeAnimatedWebp(path) : probeVideo(install, path, options)
}

/** The frames of a probed video (see decodeVideo for the options and guarantees). */
export async function openFrames(install: FfmpegInstall, probe: VideoProbe, options: DecodeOptions = {}): Promise<DecodedVideo> {
  return probe.format === 'webp' ? decodeAnimatedWebp(probe, options) : decodeVideo(install, probe, options)
}
