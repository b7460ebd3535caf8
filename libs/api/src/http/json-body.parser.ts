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

/** Where the first string (key or value) holding U+0000 sits in a parsed JSON value, or null. */
export function findNulCharacter(
  value: unknown,
  loc: ReadonlyArray<string | number>,
): { loc: ReadonlyArray<string | number>; input: string } | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { loc, input: value } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulCharacter(value[i], [...loc, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return { loc: [...loc, key], input: key };
      const found = findNulCharacter(item, [...loc, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The 422 of a string holding U+0000, which PostgreSQL can store neither in text nor in jsonb. */
export function nulCharacterError(found: {
  loc: ReadonlyArray<string | number>;
  input: string;
}): RequestValidationError {
  return new RequestValidationError([
    {
      type: 'string_nul_character',
      loc: found.loc,
      msg: 'String should not contain the NUL character (\\u0000)',
      input: found.input,
    },
  ]);
}

/**
 * Parses a request body within bounds: nesting deeper than `maxDepth` is a 422 naming the limit
 * (checked on the text before parsing), malformed JSON a SyntaxError (the caller's 422
 * `json_invalid`), and a string holding U+0000 anywhere a 422 naming its location. An empty body
 * is `undefined`.
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
  // Only an escape can put U+0000 into a parsed string (a raw control character is invalid JSON).
  if (/\\u0000/i.test(text)) {
    const found = findNulCharacter(value, ['body']);
    if (found !== null) throw nulCharacterError(found);
  }
  return value;
}
