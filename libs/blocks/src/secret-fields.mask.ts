/** What a secret value reads as when `include_secrets` is false. */
export const OBFUSCATED_SECRET = '********';

/**
 * Replaces every path of `secretFields` (Prefect's dotted paths; `*` matches every key of an
 * object) with `********`. Paths that do not exist are left alone, and a `null` or absent secret
 * stays as it is (upstream masks only values that are present). Returns a new object.
 */
export function maskSecretFields(
  data: Record<string, unknown>,
  secretFields: readonly string[],
): Record<string, unknown> {
  let masked: unknown = structuredClone(data);
  for (const path of secretFields) masked = maskPath(masked, path.split('.'));
  return masked as Record<string, unknown>;
}

function maskPath(value: unknown, path: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const keys = head === '*' ? Object.keys(object) : Object.hasOwn(object, head) ? [head] : [];
  for (const key of keys) {
    if (rest.length === 0) {
      if (object[key] !== null && object[key] !== undefined) object[key] = OBFUSCATED_SECRET;
    } else {
      object[key] = maskPath(object[key], rest);
    }
  }
  return object;
}
