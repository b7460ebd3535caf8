import { RequestValidationError } from '@orrery/domain';

const TRUE = new Set(['1', 'true', 'on', 't', 'y', 'yes']);
const FALSE = new Set(['0', 'false', 'off', 'f', 'n', 'no']);

/** The `include_secrets` query parameter as FastAPI parses a bool (absent → false, junk → 422). */
export function includeSecretsQuery(value: unknown): boolean {
  if (value === undefined) return false;
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new RequestValidationError([
    {
      type: 'bool_parsing',
      loc: ['query', 'include_secrets'],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: value,
    },
  ]);
}
