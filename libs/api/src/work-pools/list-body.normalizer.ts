/**
 * Workers send `"offset": null` (and `"limit": null`) on `…/queues/filter` and `…/workers/filter`,
 * which upstream takes as the defaults; the shared list parser treats a null offset as invalid,
 * so these routes drop it first.
 */
export function withDefaultOffset(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const object = body as Record<string, unknown>;
  if (object.offset !== null) return body;
  const { offset: _offset, ...rest } = object;
  return rest;
}
