import type {HtmlTarget} from '../../eval/run-eval.js'
import type {HtmlFlagValues} from '../flags.js'
import {evalHtmlOf} from './eval-html.js'

/** --html, --html-images and --html-artifact of the eval commands as the run's HTML target; undefined without --html. */
export function htmlTargetOf(flags: HtmlFlagValues, cwd: string, env: Readonly<Record<string, string | undefined>>): HtmlTarget | undefined {
  const html = evalHtmlOf(flags, cwd)
  return html === undefined ? undefined : {html, artifact: flags['html-artifact'], env}
}
