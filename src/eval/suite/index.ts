/**
 * The pieces of the zero-shot suite (the DPT paper's Table 1 in one run) that do not depend on how the datasets
 * are run: finding the six datasets, the table and its gates, the combined JSON and its exact merge.
 */
export {buildSuiteReport, mergeSuiteReports, SUITE_SCHEMA, SUITE_VERSION, type SuiteEntry, type SuiteInput, type SuiteReport} from './combined.js'
export {findZeroShotDatasets, SUITE_LAYOUT, type FindOptions, type FoundDataset, type SkippedDataset, type ZeroShotDatasets} from './find.js'
export {evaluateColumnGates, parseColumnGate, type ColumnGate} from './gates.js'
export {checkSuiteJson, parseSuiteReport, readSuiteReport, suiteJson} from './schema.js'
export {renderZeroShotMarkdown, renderZeroShotText, zeroShotTable, type SuiteReports, type ZeroShotTable, type ZeroShotTableRow} from './table.js'
export {columnOf, PAPER_ROWS, paperRow, ZERO_SHOT_COLUMNS, ZERO_SHOT_KEYS, type PaperRow, type ZeroShotColumn, type ZeroShotKey} from './zero-shot.js'
