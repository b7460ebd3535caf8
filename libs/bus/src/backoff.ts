/** Exponential back-off with full jitter: uniform in [0, min(max, base·2^attempt)]. */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.round(random() * ceiling));
}
