import {createRequire} from 'node:module'
import {Ajv} from 'ajv'

const require = createRequire(import.meta.url)
// The schema in models/ is the one definition of the card format: documentation and validation alike.
const schema = require('../../../models/card.schema.json') as object

// Compiled on first use: a command that never reads a card (dpt --version, dpt help) does not pay for it.
let compiled: ReturnType<Ajv['compile']> | undefined
const validator = (): ReturnType<Ajv['compile']> => (compiled ??= new Ajv({allErrors: true}).compile(schema))

/** Problems with a card's JSON, one line each, empty when it is valid. */
export function checkCardJson(json: unknown): string[] {
  const validate = validator()
  if (validate(json)) return []
  return (validate.errors ?? []).map((e) => {
    const where = e.instancePath === '' ? 'card' : e.instancePath.slice(1).replaceAll('/', '.')
    const allowed = 'allowedValues' in e.params ? `: ${(e.params.allowedValues as unknown[]).join(' | ')}` : ''
    return `${where} ${e.message ?? 'is invalid'}${allowed}`
  })
}
