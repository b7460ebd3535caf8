import { RequestValidationError } from './request-validation.error';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** `PREFECT_SERVER_API_MAX_JSON_DEPTH`'s default: generous for real parameters and filters. */
export const DEFAULT_MAX_JSON_DEPTH = 100;

/** The env name of the depth limit, named in the 422 so an operator knows what to raise. */
export const MAX_JSON_DEPTH_SETTING = 'PREFECT_SERVER_API_MAX_JSON_DEPTH';

/**
 * The deepest nesting of arrays and objects in a JSON text, stopping as soon as it passes `limit`
 * (then returns `limit + 1`). One pass over the characters, no allocation: run before `JSON.parse`
 * so a hostile body is refused before anything recursive (class-transformer, the validation pipe,
 * the error echo) walks it. Brackets inside strings do not count.
 */
export function jsonDepthBeyond(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/** Keys a JSON body may not use: class-transformer would take `constructor` for the object's class. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

export interface BodyProblem {
  readonly kind: 'nul' | 'key';
  readonly loc: ReadonlyArray<string | number>;
  readonly input: string;
}

/**
 * The first string (key or value) holding U+0000, or key that would reach an object's prototype
 * machinery, in a parsed JSON value, or null. Recursion is bounded by the depth limit.
 */
export function findBodyProblem(value: unknown, loc: ReadonlyArray<string | number>): BodyProblem | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { kind: 'nul', loc, input: value } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBodyProblem(value[i], [...loc, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (key.includes('\u0000')) return { kind: 'nul', loc: [...loc, key], input: key };
      if (FORBIDDEN_KEYS.has(key)) return { kind: 'key', loc: [...loc, key], input: key };
      const found = findBodyProblem((value as Record<string, unknown>)[key], [...loc, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The 422 of a body problem, naming its location. */
export function bodyProblemError(problem: BodyProblem): RequestValidationError {
  return new RequestValidationError([
    problem.kind === 'nul'
      ? {
          type: 'string_nul_character',
          loc: problem.loc,
          msg: 'String should not contain the NUL character (\\u0000)',
          input: problem.input,
        }
      : {
          type: 'key_forbidden',
          loc: problem.loc,
          msg: `The key ${JSON.stringify(problem.input)} is not allowed`,
          input: problem.input,
        },
  ]);
}

/**
 * Parses a request body within bounds: nesting deeper than `maxDepth` is a 422 naming the limit
 * (checked on the text before parsing), malformed JSON a SyntaxError (the caller's 422
 * `json_invalid`), and a string holding U+0000 or a `__proto__`/`constructor` key
 * anywhere a 422 naming its location. An empty body is `undefined`.
 */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.trim() === '') return undefined;
  if (jsonDepthBeyond(text, maxDepth) > maxDepth) {
    throw new RequestValidationError([
      {
        type: 'json_too_deep',
        loc: ['body'],
        msg: `JSON nesting is deeper than the limit of ${maxDepth} (${MAX_JSON_DEPTH_SETTING})`,
        input: null,
        ctx: { max_depth: maxDepth },
      },
    ]);
  }
  const value: unknown = JSON.parse(text);
  // Only an escape can put U+0000 into a parsed string (a raw control character is invalid JSON),
  // and a forbidden key is either spelled out or escaped: walk only bodies that may hold either.
  if (/\\u|"(?:__proto__|constructor)"/.test(text)) {
    const found = findBodyProblem(value, ['body']);
    if (found !== null) throw bodyProblemError(found);
  }
  return value;
}
