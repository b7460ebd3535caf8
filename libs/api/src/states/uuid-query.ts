import { laxUuid, RequestValidationError } from '@orrery/domain';

/** A required UUID query parameter in any form pydantic reads, with pydantic's 422 when missing or malformed. */
export function uuidQuery(name: string, value: unknown): string {
  if (value === undefined) {
    throw new RequestValidationError([
      { type: 'missing', loc: ['query', name], msg: 'Field required', input: null },
    ]);
  }
  const parsed = laxUuid(value);
  if (parsed.ok) return parsed.value;
  throw new RequestValidationError([
    { type: parsed.type, loc: ['query', name], msg: parsed.msg, input: value },
  ]);
}
