import { isUuid } from '@orrery/domain';
import { RequestValidationError } from '@orrery/domain';

/** A required UUID query parameter, with pydantic's 422 when missing or malformed. */
export function uuidQuery(name: string, value: unknown): string {
  if (typeof value === 'string' && isUuid(value)) return value.toLowerCase();
  throw new RequestValidationError([
    value === undefined
      ? { type: 'missing', loc: ['query', name], msg: 'Field required', input: null }
      : { type: 'uuid_parsing', loc: ['query', name], msg: 'Input should be a valid UUID', input: value },
  ]);
}
