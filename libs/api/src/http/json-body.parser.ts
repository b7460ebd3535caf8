import { RequestValidationError } from '@orrery/domain';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** The env name of the body-size limit of ordinary routes (and of each item of a bulk body). */
export const MAX_BODY_SIZE_SETTING = 'PREFECT_SERVER_API_MAX_BODY_SIZE';
/** The env name of the body-size limit of the bulk routes (`POST /logs/`, `POST /events`). */
export const MAX_BULK_BODY_SIZE_SETTING = 'PREFECT_SERVER_API_MAX_BULK_BODY_SIZE';

/** `PREFECT_SERVER_API_MAX_JSON_DEPTH`'s default: generous for real parameters and filters. */
export const DEFAULT_MAX_JSON_DEPTH = 100;

/** The env name of the depth limit, named in the 422 so an operator knows what to raise. */
export const MAX_JSON_DEPTH_SETTING = 'PREFECT_SERVER_API_MAX_JSON_DEPTH';

/**
 * `PREFECT_SERVER_API_MAX_JSON_VALUES`'s default: the values (object members and array elements, at
 * any depth) one body — or one item of a bulk body, or one websocket event — may hold. Parsing,
 * validating, storing and answering each costs about a microsecond, a distinct object key several
 * (V8 internalises it and builds a hidden class), all on the event loop: at 100 000 distinct keys a
 * body held it for 0.2–1 s. The SDK's payloads hold far fewer: under 100 in its recorded flows and
 * workers, a few thousand for a deployment with a large parameter schema or a work pool template.
 */
export const DEFAULT_MAX_JSON_VALUES = 20_000;
export const MAX_JSON_VALUES_SETTING = 'PREFECT_SERVER_API_MAX_JSON_VALUES';

/**
 * `PREFECT_SERVER_API_MAX_BULK_ITEMS`'s default: the items of one `POST /logs/` or `POST /events`
 * body. The SDK sends at most PREFECT_LOGGING_TO_API_BATCH_SIZE − MAX_LOG_SIZE (3 MB) of logs of at
 * least ~160 bytes each, under 20 000; 100 000 minimal logs would not fit the 16 MiB bulk limit.
 */
export const DEFAULT_MAX_BULK_ITEMS = 100_000;
export const MAX_BULK_ITEMS_SETTING = 'PREFECT_SERVER_API_MAX_BULK_ITEMS';

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Follows the nesting of arrays and objects in JSON bytes as they arrive, chunk by chunk, and says
 * as soon as it passes `limit` — so a hostile body is refused after its first chunk, before it is
 * buffered, decoded or parsed, and long before anything recursive (class-transformer, the
 * validation pipe, the error echo) could walk it. Brackets inside strings do not count. Works on
 * UTF-8 bytes: every structural character is ASCII and never part of a multi-byte sequence.
 * It also counts the values (object members and array elements at any depth: a comma outside a
 * string, or the first thing in a container) and stops past `maxValues`.
 *
 * With `splitTopLevelArray` (bulk routes) it also records where each element of a top-level array
 * starts and ends (`separators`: the offsets of its `[` and of every top-level `,`; `arrayEnd`), so
 * the elements can be parsed one by one with pauses in between; the value limit then holds per
 * element instead of for the whole body, and the elements are at most `maxItems`.
 */
export class JsonDepthScanner {
  private depth = 0;
  private values = 0;
  /** Split mode: the values of the elements before the current one. */
  private earlierValues = 0;
  /** Just past a `[` or `{`: the next non-blank byte, unless it closes it, starts its first value. */
  private opened = false;
  private inString = false;
  private escaped = false;
  private offset = 0;
  /** Split mode: still looking for (0), inside (1) or past (2) the top-level array. */
  private top: 0 | 1 | 2 = 0;
  /** Offsets of the top-level array's `[` and `,`s (split mode only). */
  readonly separators: number[] = [];
  /** Offset of the top-level array's `]`, -1 until seen (split mode only). */
  arrayEnd = -1;

  constructor(
    private readonly limit: number,
    private readonly maxValues = Infinity,
    private readonly splitTopLevelArray = false,
    private readonly maxItems = Infinity,
  ) {}

  /**
   * Feeds the next bytes; the 422 to answer once the nesting went deeper than the limit, the body
   * (an element, in split mode) holds more values than allowed or the top-level array more
   * elements, else null.
   */
  feed(bytes: Uint8Array): RequestValidationError | null {
    let { depth, values, opened, inString, escaped } = this;
    const { limit, maxValues } = this;
    let top = this.splitTopLevelArray ? this.top : 2;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) {
        inString = true;
        if (opened) {
          opened = false;
          if (++values > maxValues) return this.tooManyValues(top);
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (top === 0 && depth === 0) {
          top = c === OPEN_BRACKET ? 1 : 2;
          if (top === 1) {
            this.separators.push(this.offset + i);
            depth++;
            continue;
          }
        }
        if (opened && ++values > maxValues) return this.tooManyValues(top);
        opened = true;
        if (++depth > limit) return jsonTooDeepError(limit);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        opened = false;
        depth--;
        if (top === 1 && depth === 0) {
          this.arrayEnd = this.offset + i;
          top = 2;
        }
      } else if (c === COMMA) {
        if (top === 1 && depth === 1) {
          this.separators.push(this.offset + i);
          if (this.separators.length > this.maxItems) return bulkTooManyItemsError(this.maxItems);
          this.earlierValues += values;
          values = 0;
        } else if (++values > maxValues) {
          return this.tooManyValues(top);
        }
      } else if (opened && !isJsonSpace(c)) {
        opened = false;
        if (++values > maxValues) return this.tooManyValues(top);
      }
    }
    this.offset += bytes.length;
    if (this.splitTopLevelArray) this.top = top;
    this.depth = depth;
    this.values = values;
    this.opened = opened;
    this.inString = inString;
    this.escaped = escaped;
    return null;
  }

  /** Values counted so far (in split mode: in the current element). */
  get valueCount(): number {
    return this.values;
  }

  /** Values counted so far in the whole body (in split mode: in every element so far). */
  get totalValueCount(): number {
    return this.earlierValues + this.values;
  }

  private tooManyValues(top: 0 | 1 | 2): RequestValidationError {
    const item = this.splitTopLevelArray && top === 1 ? this.separators.length - 1 : null;
    return jsonTooLargeError(this.maxValues, item);
  }
}

/**
 * The 422 of a body (or of item `item` of a bulk body) holding more values than allowed, naming
 * the limit and its setting.
 */
export function jsonTooLargeError(maxValues: number, item: number | null = null): RequestValidationError {
  return new RequestValidationError([
    {
      type: 'json_too_large',
      loc: item === null ? ['body'] : ['body', item],
      msg: `JSON holds more than ${maxValues} values (${MAX_JSON_VALUES_SETTING})`,
      input: null,
      ctx: { max_values: maxValues },
    },
  ]);
}

/** The 422 of a bulk body with more items than allowed, in pydantic's words for a too long list. */
export function bulkTooManyItemsError(maxItems: number): RequestValidationError {
  return new RequestValidationError([
    {
      type: 'too_long',
      loc: ['body'],
      msg: `List should have at most ${maxItems} items (${MAX_BULK_ITEMS_SETTING})`,
      input: null,
      ctx: { field_type: 'List', max_length: maxItems },
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

/**
 * One websocket frame held to a request body's bounds: nesting depth and values (422 errors
 * naming the limit), then `parseCheckedJson` (malformed JSON: SyntaxError; NUL or a prototype key:
 * 422 naming its location). Its size is bounded before it gets here (ws `maxPayload`).
 */
export function parseBoundedJsonFrame(frame: Buffer, maxDepth: number, maxValues: number): unknown {
  const refused = new JsonDepthScanner(maxDepth, maxValues).feed(frame);
  if (refused !== null) throw refused;
  return parseCheckedJson(frame.toString('utf8'));
}

/**
 * A parsed body holding more values than this is large: its parser and the validation pipe give
 * the event loop a turn between parsing, shaping and validating it (each of those steps costs
 * about a microsecond per value, together too long to hold the loop at once).
 */
export const LARGE_BODY_VALUES = 5_000;

const largeBodies = new WeakSet<object>();

/** Marks a parsed body as large (see LARGE_BODY_VALUES). */
export function markLargeBody(value: unknown): void {
  if (typeof value === 'object' && value !== null) largeBodies.add(value);
}

/** Whether the body parser marked this value as a large body. */
export function isLargeBody(value: unknown): boolean {
  return typeof value === 'object' && value !== null && largeBodies.has(value);
}

/** How long one slice of a bulk body's parsing or validation may hold the event loop, in ms. */
export const SLICE_BUDGET_MS = 8;

/** Lets every waiting I/O callback (other requests, health checks, timers) run. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Most validation issues a bulk body reports: past them the batch is refused without looking
 * further (a 16 MB body of 8 million bad items would otherwise build 8 million issues).
 */
export const MAX_BULK_ISSUES = 1000;

/**
 * Runs `each` over `items` in slices of at most ~SLICE_BUDGET_MS, yielding to the event loop in
 * between: a bulk body of 100 000 items is validated without ever stalling other requests. The
 * clock is read after every item (tens of nanoseconds): a few items of 20 000 values each cost
 * milliseconds apiece. Stops early when `each` returns false.
 */
export async function forEachInSlices<T>(
  items: readonly T[],
  each: (item: T, index: number) => boolean | void,
): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    if (each(items[i] as T, i) === false) return;
    if (performance.now() - sliceStart > SLICE_BUDGET_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}

const isBlank = (buffer: Buffer, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) if (!isJsonSpace(buffer[i]!)) return false;
  return true;
};

/**
 * Parses a bulk body (a top-level JSON array whose element boundaries `scanner` recorded while it
 * arrived) element by element, in slices that yield to the event loop, so a 16 MB log batch never
 * holds the loop for more than a slice. Each element is at most `maxItemBytes` (else
 * `itemTooLarge`); NUL characters and prototype keys are refused per element (`allowNul`: kept).
 * Malformed JSON is a SyntaxError, as from JSON.parse.
 */
export async function parseJsonArrayInSlices(
  body: Buffer,
  scanner: JsonDepthScanner,
  options: { allowNul: boolean; maxItemBytes: number; itemTooLarge: (index: number) => Error },
): Promise<unknown[]> {
  const seps = scanner.separators;
  const end = scanner.arrayEnd;
  if (seps.length === 0 || end < 0 || !isBlank(body, 0, seps[0]!) || !isBlank(body, end + 1, body.length)) {
    throw new SyntaxError('the body is not one JSON array');
  }
  const bounds = [...seps, end];
  if (bounds.length === 2 && isBlank(body, bounds[0]! + 1, end)) return [];
  const items: unknown[] = new Array<unknown>(bounds.length - 1);
  let sliceStart = performance.now();
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i]! + 1;
    const to = bounds[i + 1]!;
    if (to - from > options.maxItemBytes) throw options.itemTooLarge(i);
    const text = body.toString('utf8', from, to);
    const item: unknown = JSON.parse(text);
    if (/\\u|"(?:__proto__|constructor)"/.test(text)) {
      const found = findBodyProblem(item, ['body', i], options.allowNul);
      if (found !== null) throw bodyProblemError(found);
    }
    items[i] = item;
    // After every item: 8 items of 20 000 distinct keys took 23 ms each (every 32 items: 180 ms).
    if (performance.now() - sliceStart > SLICE_BUDGET_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return items;
}
