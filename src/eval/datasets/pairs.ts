import {join} from 'node:path'
import type {DepthGt} from '../types.js'
import {readDepthFile, type DepthFileFormat} from '../../formats/depth-file.js'
import {byId, type DepthDataset, type EvalSample} from './dataset.js'
import {isFile} from './layout.js'

/** For each image id, the ground-truth path candidates in order of preference. */
export type GtCandidates = (id: string) => readonly string[]

/** Samples whose ground truth is the first existing candidate; none existing = missing (reported, not fatal). */
export async function pairSamples(
  imageRoot: string,
  ids: readonly string[],
  candidates: GtCandidates,
  describe: (id: string) => string,
): Promise<EvalSample[]> {
  const samples = await Promise.all(
    ids.map(async (id): Promise<EvalSample> => {
      for (const path of candidates(id)) if (await isFile(path)) return {id, image: join(imageRoot, id), gt: [path]}
      return {id, image: join(imageRoot, id), gt: null, missing: describe(id)}
    }),
  )
  return byId(samples)
}

/** A depth dataset whose ground truth is one file per image in one format and unit. */
export function fileDepthDataset(
  name: string,
  split: string | null,
  root: string,
  samples: EvalSample[],
  format: DepthFileFormat,
  divisor: number,
  standardSize?: number,
): DepthDataset {
  return {
    name,
    task: 'depth',
    split,
    root,
    samples,
    ...(standardSize === undefined ? {} : {standardSize}),
    readGt: (sample): Promise<DepthGt> => readDepthFile(sample.gt![0]!, format, divisor),
  }
}
