import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Prefect's block schema checksum (`Block._calculate_schema_checksum`): `secret_fields` removed
 * from every nested object (not inside arrays), `definitions` narrowed to the non-block
 * definitions referenced anywhere in the schema (dropped when none are), then
 * `sha256(json.dumps(((fields,), {}), sort_keys=True))`. The SDK computes the same value, so
 * `GET /block_schemas/checksum/{checksum}` finds what it registered.
 */
export function blockSchemaChecksum(fields: Record<string, unknown>): string {
  const stripped = withoutSecretFields(fields as Json) as { [key: string]: Json };
  const definitions = stripped['definitions'];
  if (isObject(definitions) && Object.keys(definitions).length > 0) {
    const kept = nonBlockDefinitions(stripped, definitions);
    if (Object.keys(kept).length > 0) stripped['definitions'] = kept;
    else delete stripped['definitions'];
  }
  // hash_objects dumps the (args, kwargs) pair: [[fields], {}].
  const text = pythonJsonDumps([[stripped], {}]);
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutSecretFields(value: Json): Json {
  if (!isObject(value)) return value;
  const out: { [key: string]: Json } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== 'secret_fields') out[key] = withoutSecretFields(inner);
  }
  return out;
}

export function referenceStrings(value: Json): Json[] {
  const found: Json[] = [];
  if (isObject(value)) {
    const ref = value['$ref'];
    if (ref !== undefined && ref !== null && ref !== '' && ref !== false && ref !== 0) found.push(ref);
    for (const inner of Object.values(value)) found.push(...referenceStrings(inner));
  } else if (Array.isArray(value)) {
    for (const inner of value) found.push(...referenceStrings(inner));
  }
  return found;
}

/** `_get_non_block_reference_definitions`: definitions without `block_type_slug`, followed transitively. */
export function nonBlockDefinitions(
  object: Json,
  definitions: { [key: string]: Json },
): { [key: string]: Json } {
  let kept: { [key: string]: Json } = {};
  for (const ref of referenceStrings(object)) {
    if (typeof ref !== 'string') continue;
    const key = ref.replace('#/definitions/', '');
    const definition = definitions[key];
    // Upstream tests `if definition and …`: an empty definition (pydantic's `JsonValue: {}`) is falsy.
    if (
      isObject(definition) &&
      Object.keys(definition).length > 0 &&
      (definition['block_type_slug'] ?? null) === null
    ) {
      kept = { ...kept, [key]: definition, ...nonBlockDefinitions(definition, definitions) };
    }
  }
  return kept;
}

/** Python's `json.dumps(value, sort_keys=True)`: `", "` and `": "` separators, ASCII-only output. */
export function pythonJsonDumps(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const keys = Object.keys(value).sort(comparePython);
  return `{${keys.map((k) => `${pythonString(k)}: ${pythonJsonDumps(value[k] as Json)}`).join(', ')}}`;
}

/** Python sorts str keys by code point; JavaScript's default sort compares UTF-16 units. */
function comparePython(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function pythonNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  // Python repr of a float: shortest round-trip, like JavaScript, but exponents differ in form.
  const text = String(value);
  if (!text.includes('e')) return text;
  const [mantissa, exponent] = text.split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

function pythonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const ch = value[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
