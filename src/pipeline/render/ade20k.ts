import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
const data = require('../../../../models/ade20k.json') as {classes: string[]; palette: [number, number, number][]}

/** The 150 ADE20K SceneParsing classes, network index k ↔ ADE id k + 1 (id 0 "other" is not a class). */
export const ADE20K_CLASSES: readonly string[] = data.classes

/** 151 RGB entries: index 0 black, index k the colour of ADE id k. */
export const ADE20K_PALETTE: readonly (readonly [number, number, number])[] = data.palette
