import {invalidFlag} from '../cli/invalid.js'
import type {Size} from '../pipeline/sample.js'
import type {ModelCard} from './card.js'

/**
 * `--input-size 512` (a square target, as the reference's `--net_size`-style options take) or `640x480` (W×H):
 * the target the card's size rule starts from, for one run.
 */
export function parseInputSize(value: string): Size {
  const match = /^\s*(\d+)\s*(?:[x×]\s*(\d+)\s*)?$/.exec(value)
  const width = Number(match?.[1])
  const height = match?.[2] === undefined ? width : Number(match[2])
  if (match === null || !(width >= 1 && height >= 1) || width > 16384 || height > 16384) {
    throw invalidFlag('input-size', 'a size in pixels, N (square) or WxH, from 1 to 16384', value)
  }
  return {width, height}
}

/**
 * The card with another target size: its size rule (keep aspect, minimal / lower_bound / upper_bound), multiple and
 * resize kernel stay, so `--input-size 512` on an isl-org card gives 512 on the side the rule picks, ×32.
 */
export function withInputSize(card: ModelCard, size: Size | undefined): ModelCard {
  if (size === undefined) return card
  return {...card, preprocess: {...card.preprocess, width: size.width, height: size.height}}
}
