import { RequestValidationError } from '@orrery/domain';

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
 * `PREFECT_SERVER_API_MAX_JSON_CONTAINERS`'s default: arrays and objects in one body. A 4 MB log
 * batch of the SDK holds ~20 000; validation walks every one on the event loop.
 */
export const DEFAULT_MAX_JSON_CONTAINERS = 100_000;
export const MAX_JSON_CONTAINERS_SETTING = 'PREFECT_SERVER_API_MAX_JSON_CONTAINERS';

/**
 * Follows the nesting of arrays and objects in JSON bytes as they arrive, chunk by chunk, and says
 * as soon as it passes `limit` — so a hostile body is refused after its first chunk, before it is
 * buffered, decoded or parsed, and long before anything recursive (class-transformer, the
 * validation pipe, the error echo) could walk it. Brackets inside strings do not count. Works on
 * UTF-8 bytes: every structural character is ASCII and never part of a multi-byte sequence.
 */
export class JsonDepthScanner {
  private depth = 0;
  private containers = 0;
  private inString = false;
  private escaped = false;

  constructor(
    private readonly limit: number,
    private readonly maxContainers = Infinity,
  ) {}

  /**
   * Feeds the next bytes; the 422 to answer once the nesting went deeper than the limit or the
   * body holds more arrays and objects than allowed, else null.
   */
  feed(bytes: Uint8Array): RequestValidationError | null {
    let { depth, containers, inString, escaped } = this;
    const limit = this.limit;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (++depth > limit) return jsonTooDeepError(limit);
        if (++containers > this.maxContainers) return jsonTooLargeError(this.maxContainers);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
      }
    }
    this.depth = depth;
    this.containers = containers;
    this.inString = inString;
    this.escaped = escaped;
    return null;
  }
}

/** The 422 of a body with more arrays and objects than allowed, naming the limit and its setting. */
export function jsonTooLargeError(maxContainers: number): RequestValidationError {
  return new RequestValidationError([
    {
      type: 'json_too_large',
      loc: ['body'],
      msg: `JSON holds more than ${maxContainers} arrays and objects (${MAX_JSON_CONTAINERS_SETTING})`,
      input: null,
      ctx: { max_containers: maxContainers },
    },
  ]);
}

/** The 422 of a body nested deeper than the limit, naming the limit and its setting. */
export function jsonTooDeepError(maxDepth: number): RequestValidationError {
  return new RequestValidationError([
    {
      type: 'json_too_deep',
      loc: ['body'],
      msg: `JSON nesting is deeper than the limit of ${maxDepth} (${MAX_JSON_DEPTH_SETTING})`,
      input: null,
      ctx: { max_depth: maxDepth },
    },
  ]);
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
export function findBodyProblem(
  value: unknown,
  loc: ReadonlyArray<string | number>,
  allowNul = false,
): BodyProblem | null {
  if (typeof value === 'string') {
    return !allowNul && value.includes('\u0000') ? { kind: 'nul', loc, input: value } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBodyProblem(value[i], [...loc, i], allowNul);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (!allowNul && key.includes('\u0000')) return { kind: 'nul', loc: [...loc, key], input: key };
      if (FORBIDDEN_KEYS.has(key)) return { kind: 'key', loc: [...loc, key], input: key };
      const found = findBodyProblem((value as Record<string, unknown>)[key], [...loc, key], allowNul);
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
 * Parses a body whose nesting was already checked (`JsonDepthScanner`): malformed JSON is a
 * SyntaxError (the caller's 422 `json_invalid`), a string holding U+0000 or a
 * `__proto__`/`constructor` key anywhere a 422 naming its location. An empty body is `undefined`.
 * `allowNul`: the route removes NUL characters itself (log batches, which upstream never fails).
 */
export function parseCheckedJson(text: string, allowNul = false): unknown {
  if (text.trim() === '') return undefined;
  const value: unknown = JSON.parse(text);
  // Only an escape can put U+0000 into a parsed string (a raw control character is invalid JSON),
  // and a forbidden key is either spelled out or escaped: walk only bodies that may hold either.
  if (/\\u|"(?:__proto__|constructor)"/.test(text)) {
    const found = findBodyProblem(value, ['body'], allowNul);
    if (found !== null) throw bodyProblemError(found);
  }
  return value;
}

/** `parseCheckedJson` of a whole text, its nesting checked first (422 beyond `maxDepth`). */
export function parseJsonBody(text: string, maxDepth: number, maxContainers = Infinity): unknown {
  const refused = new JsonDepthScanner(maxDepth, maxContainers).feed(Buffer.from(text, 'utf8'));
  if (refused !== null) throw refused;
  return parseCheckedJson(text);
}
