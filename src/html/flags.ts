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

/** The values of htmlFlags (and htmlImagesFlag) as parsed. */
export interface HtmlFlagValues {
  readonly html?: string | undefined
  readonly 'html-artifact'?: string | undefined
  readonly 'html-images'?: number | undefined
}
