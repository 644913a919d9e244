import {appendFile} from 'node:fs/promises'
import {posix} from 'node:path'
import {DptError, ExitCode, messageOf} from '../pipeline/errors.js'

export interface HtmlArtifact {
  /** What the pages are: "evaluation report", "contact sheet". */
  readonly kind: string
  /** The page to open, relative to the artifact's root (e.g. `eval-html/index.html`). */
  readonly page: string
  /** The CI artifact the folder is uploaded as, when the workflow names one. */
  readonly artifact?: string
  /** The run's page (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID`), where artifacts are listed. */
  readonly runUrl?: string
}

/** The run's page from the GitHub Actions environment, read once at the edge; undefined outside Actions. */
export function githubRunUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const {GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run} = env
  return server === undefined || repo === undefined || run === undefined ? undefined : `${server}/${repo}/actions/runs/${run}`
}

const code = (text: string): string => `\`${text.replaceAll('`', "'")}\``

/**
 * The job summary's line about the HTML pages: what they are, which file to open and where to get them
 * (the artifact, linked to the run's artifact list when the run's URL is known). Markdown, one line.
 */
export function htmlSummaryLine(a: HtmlArtifact): string {
  const page = code(posix.normalize(a.page))
  if (a.artifact === undefined) return `**HTML ${a.kind}:** open ${page} (written by this job; upload its folder as an artifact to keep it).`
  const artifact = a.runUrl === undefined ? `artifact ${code(a.artifact)}` : `artifact [${code(a.artifact)}](${a.runUrl}#artifacts)`
  return `**HTML ${a.kind}:** download the ${artifact} and open ${page} (static pages, no network needed).`
}

/**
 * Appends `htmlSummaryLine` to $GITHUB_STEP_SUMMARY (a no-op when it is unset or empty), the run's URL read from
 * the same environment. Returns the file written, if any.
 */
export async function appendHtmlSummary(env: Readonly<Record<string, string | undefined>>, a: Omit<HtmlArtifact, 'runUrl'>): Promise<string | undefined> {
  const file = env.GITHUB_STEP_SUMMARY
  if (file === undefined || file === '') return undefined
  const runUrl = githubRunUrl(env)
  try {
    await appendFile(file, `\n${htmlSummaryLine({...a, ...(runUrl === undefined ? {} : {runUrl})})}\n`)
  } catch (error) {
    throw new DptError(`Could not append to $GITHUB_STEP_SUMMARY (${file}): ${messageOf(error)}`, {exitCode: ExitCode.internal, cause: error})
  }
  return file
}
