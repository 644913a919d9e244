import type {VideoProbe} from '../../video/probe.js'
import type {VideoSettings} from '../video-settings.js'

/**
 * How many frames a video will give with --fps/--start/--duration, for the progress bar's total before the run
 * (the exact count is known only once decoded): the container's frame count when the whole video is read at its
 * own rate, else its duration times the rate.
 */
export function estimateFrames(probe: VideoProbe, video: Pick<VideoSettings, 'fps' | 'start' | 'duration'>): number {
  const whole = probe.video.duration ?? probe.duration ?? 0
  const from = Math.min(video.start ?? 0, whole)
  const length = Math.max(0, Math.min(video.duration ?? Infinity, whole - from))
  if (video.fps !== undefined) return Math.max(1, Math.ceil(length * video.fps))
  if (probe.video.frameCount !== undefined && video.start === undefined && video.duration === undefined) return probe.video.frameCount
  const rate = probe.video.averageFrameRate ?? probe.video.frameRate
  const perSecond = rate.den > 0 ? rate.num / rate.den : 0
  return Math.max(1, Math.round(length * perSecond))
}
