/** Helpers for stream ids `<ms>-<seq>` (Redis' format, reused by the in-memory driver). */

export function parseStreamId(id: string): [bigint, bigint] {
  const dash = id.indexOf('-');
  if (dash < 0) {
    return [BigInt(id), 0n];
  }
  return [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}

export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parseStreamId(a);
  const [bm, bs] = parseStreamId(b);
  if (am !== bm) {
    return am < bm ? -1 : 1;
  }
  return as === bs ? 0 : as < bs ? -1 : 1;
}

export function minStreamId(a: string, b: string): string {
  return compareStreamIds(a, b) <= 0 ? a : b;
}

/** The millisecond part of a stream id: the time the broker accepted the message. */
export function streamIdMillis(id: string): number {
  return Number(parseStreamId(id)[0]);
}
