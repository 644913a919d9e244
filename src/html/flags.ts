import {Flags} from '@oclif/core'

/**
 * --html and its companions, shared by dpt eval, eval merge, eval report, depth and segment: kept in their own
 * file so the commands only spread them in.
 */
export const htmlFlags = {
  html: Flags.string({
    summary: 'Also write a static HTML report into this folder (opens from file://, no network).',
    helpGroup: 'HTML',
  }),
  'html-artifact': Flags.string({
    summary: 'The CI artifact the --html folder is uploaded as: named (linked to the run) in $GITHUB_STEP_SUMMARY.',
    helpGroup: 'HTML',
    dependsOn: ['html'],
  }),
}

/** dpt eval's extra: how many worst and best images get panels. */
export const htmlImagesFlag = {
  'html-images': Flags.integer({
    summary: 'How many worst and how many best images get panels in the --html report.',
    default: 8,
    min: 0,
    max: 100,
    helpGroup: 'HTML',
  }),
}

/** dpt eval merge's extra: the shards' own --html folders, whose panels give the merged report's worst and best. */
export const htmlPartsFlag = {
  'html-parts': Flags.string({
    summary:
      "The shards' --html folders (repeat the flag, or separate them with commas): the merged page shows the worst and best images of the whole run from their panels.",
    multiple: true,
    multipleNonGreedy: true,
    delimiter: ',',
    helpGroup: 'HTML',
    dependsOn: ['html'],
  }),
}

/** The values of htmlFlags (and htmlImagesFlag, htmlPartsFlag) as parsed. */
export interface HtmlFlagValues {
  readonly html?: string | undefined
  readonly 'html-artifact'?: string | undefined
  readonly 'html-images'?: number | undefined
  readonly 'html-parts'?: readonly string[] | undefined
}
