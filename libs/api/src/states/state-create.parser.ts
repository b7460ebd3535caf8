import {
  isStateType,
  STATE_TYPES,
  type StateCreate,
  StateDetailsFieldError,
  stateDetailsFromWire,
} from '@orrery/domain';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';

const STATE_CREATE_KEYS = new Set(['type', 'name', 'message', 'data', 'state_details']);

/**
 * Reads a `StateCreate` (`{type*, name?, message?, data?, state_details?}`) found at `loc` in a
 * request body, answering Prefect's 422 for a missing or unknown type, badly typed fields, unknown
 * keys (StateCreate forbids extras) and malformed `state_details`.
 */
export function stateCreateFromBody(raw: unknown, loc: readonly (string | number)[]): StateCreate {
  const issues: ValidationIssue[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RequestValidationError([
      raw === undefined
        ? { type: 'missing', loc, msg: 'Field required', input: null }
        : {
            type: 'model_attributes_type',
            loc,
            msg: 'Input should be a valid dictionary or object to extract fields from',
            input: raw,
          },
    ]);
  }
  const body = raw as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!STATE_CREATE_KEYS.has(key)) {
      issues.push({
        type: 'extra_forbidden',
        loc: [...loc, key],
        msg: 'Extra inputs are not permitted',
        input: body[key],
      });
    }
  }
  if (body['type'] === undefined) {
    issues.push({ type: 'missing', loc: [...loc, 'type'], msg: 'Field required', input: body });
  } else if (!isStateType(body['type'])) {
    issues.push({
      type: 'enum',
      loc: [...loc, 'type'],
      msg: `Input should be ${STATE_TYPES.map((t) => `'${t}'`).join(', ')}`,
      input: body['type'],
    });
  }
  for (const key of ['name', 'message'] as const) {
    const value = body[key];
    if (value != null && typeof value !== 'string') {
      issues.push({
        type: 'string_type',
        loc: [...loc, key],
        msg: 'Input should be a valid string',
        input: value,
      });
    }
  }
  let stateDetails = null;
  try {
    stateDetails = stateDetailsFromWire(body['state_details']);
  } catch (error) {
    const details = body['state_details'] as Record<string, unknown>;
    if (error instanceof StateDetailsFieldError) {
      issues.push({
        type: error.type,
        loc: [...loc, 'state_details', error.field],
        msg: error.pydanticMessage,
        input: details[error.field],
      });
    } else
      issues.push({
        type: 'value_error',
        loc: [...loc, 'state_details'],
        msg: error instanceof Error ? error.message : String(error),
        input: body['state_details'],
      });
  }
  if (issues.length > 0) throw new RequestValidationError(issues);
  return {
    type: body['type'] as StateCreate['type'],
    name: (body['name'] as string | null | undefined) ?? null,
    message: (body['message'] as string | null | undefined) ?? null,
    data: body['data'] ?? null,
    stateDetails,
  };
}
