/**
 * The HTML reports of dpt, in one import: the evaluation report (a site folder with index.html, fed by
 * `EvalImagesSink` during a run and `writeEvalSite` at its end, or from a saved report alone), the comparison of
 * two reports, the contact sheet of a depth / segmentation run, and the job summary's line about them.
 */
export {EvalImagesSink, type EvalImagesOptions} from './eval/images-sink.js'
export {writeEvalSite, renderEvalPage, EVAL_PAGE, type EvalPageInput} from './eval/eval-page.js'
export {findManifest, MANIFEST_PATH, type AssetManifest, type ManifestLookup} from './eval/manifest.js'
export {writeComparePage, renderComparePage, type ComparePageInput} from './eval/compare-page.js'
export {paperFigures, registryEntryFor, type PaperFigure} from './eval/paper.js'
export {rankingMetric} from './eval/rank.js'
export {ContactSheet, renderContactSheet, type ContactSheetOptions} from './contact/sheet.js'
export type {ContactEntry, ContactSheetData} from './contact/types.js'
export {htmlSummaryLine, githubRunUrl, type HtmlArtifact} from './summary.js'
export {loadRgb, type RgbImage} from './assets/rgb.js'
export {DEFAULT_LIMITS, type RasterLimits} from './assets/raster.js'
