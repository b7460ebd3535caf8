/** What a secret value reads as when `include_secrets` is false (Prefect's `obfuscate`). */
export const OBFUSCATED_SECRET = '********';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Replaces each path of `secretFields` (Prefect's dotted paths) with `********`. A `*` segment
 * masks every value below that point (each leaf, as Prefect walks its flattened data). Absent
 * paths and `null` values are left alone. Returns a new object; `data` is not modified.
 */
export function maskSecretFields(data: JsonObject, secretFields: readonly string[]): JsonObject {
  const masked = structuredClone(data);
  for (const path of secretFields) visit(masked, path.split('.'), (_value) => OBFUSCATED_SECRET);
  return masked;
}

/**
 * Prefect's guard on `PATCH /block_documents/{id}`: a client that read a document without secrets
 * and posts it back sends `********` where the secrets were; those values keep the stored secret
 * instead of overwriting it. Returns a new object.
 */
export function restoreObfuscatedSecrets(
  update: JsonObject,
  current: JsonObject,
  secretFields: readonly string[],
): JsonObject {
  const restored = structuredClone(update);
  for (const path of secretFields) {
    visit(restored, path.split('.'), (value, at) => {
      if (value !== OBFUSCATED_SECRET) return value;
      const stored = valueAt(current, at);
      return stored === undefined || stored === null ? value : structuredClone(stored);
    });
  }
  return restored;
}

/** Calls `replace` on each non-null value the path reaches (every leaf below a `*`). */
function visit(
  object: JsonObject,
  path: readonly string[],
  replace: (value: unknown, at: readonly string[]) => unknown,
  prefix: readonly string[] = [],
): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (head === '*') {
    for (const key of Object.keys(object)) replaceLeaves(object, key, replace, [...prefix, key]);
    return;
  }
  if (!Object.hasOwn(object, head)) return;
  if (rest.length === 0) {
    const value = object[head];
    if (value !== null && value !== undefined) object[head] = replace(value, [...prefix, head]);
    return;
  }
  const inner = object[head];
  if (isObject(inner)) visit(inner, rest, replace, [...prefix, head]);
}

function replaceLeaves(
  parent: JsonObject,
  key: string,
  replace: (value: unknown, at: readonly string[]) => unknown,
  at: readonly string[],
): void {
  const value = parent[key];
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const inner of Object.keys(value)) replaceLeaves(value, inner, replace, [...at, inner]);
  } else if (value !== null && value !== undefined) {
    parent[key] = replace(value, at);
  }
}

function valueAt(object: JsonObject, path: readonly string[]): unknown {
  let value: unknown = object;
  for (const key of path) {
    if (!isObject(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}
