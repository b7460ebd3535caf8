/** Small readers for Redis' nested array replies (XINFO, XPENDING, XREAD...). */

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown, fallback = ''): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('utf8');
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return fallback;
}

export function asNumber(value: unknown, fallback = 0): number {
  if (typeof value === 'number') {
    return value;
  }
  const parsed = Number(asString(value, ''));
  return asString(value, '') === '' || Number.isNaN(parsed) ? fallback : parsed;
}

/** `[k1, v1, k2, v2, ...]` → object. */
export function pairsToRecord(value: unknown): Record<string, unknown> {
  const items = asArray(value);
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < items.length; i += 2) {
    out[asString(items[i])] = items[i + 1];
  }
  return out;
}

/** `[[id, [field, value, ...]], ...]` → entries; fields are null for a pending entry whose data is gone. */
export function parseEntries(value: unknown): { id: string; fields: Record<string, string> | null }[] {
  return asArray(value)
    .filter((entry) => Array.isArray(entry))
    .map((entry) => {
      const [id, fields] = entry as unknown[];
      if (!Array.isArray(fields)) {
        return { id: asString(id), fields: null };
      }
      const record = pairsToRecord(fields);
      const out: Record<string, string> = {};
      for (const [key, v] of Object.entries(record)) {
        out[key] = asString(v);
      }
      return { id: asString(id), fields: out };
    });
}

export function isRedisError(error: unknown, prefix: string): boolean {
  return error instanceof Error && error.message.startsWith(prefix);
}
