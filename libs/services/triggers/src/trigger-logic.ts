// The pure parts of event-trigger evaluation (spec-services-events-ha §5.3): which events a trigger
// covers, its bucketing key, its threshold, and the bucket state machine `evaluate`. No I/O: the
// service runs these against rows it holds locked, and the explain endpoint replays them in memory.
import type {
  CompositeTrigger,
  EventTrigger,
  Firing,
  ResourceSpecification,
  TriggeringEvent,
} from '@orrery/automations';

/** Followers whose leader never came are evaluated after this; buckets are back-dated by it (§3.5). */
export const PRECEDING_EVENT_LOOKBACK_MS = 15 * 60 * 1000;

/** Upstream's `matches`: `x*` is a prefix, `!x` a negation; a missing value matches nothing. */
export function labelValueMatches(expected: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const negated = expected.startsWith('!');
  const pattern = negated ? expected.slice(1) : expected;
  const hit = pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
  return negated ? !hit : hit;
}

/** Every label of the spec holds for the resource (any positive value, no negated one). */
export function resourceMatches(
  spec: ResourceSpecification,
  resource: Readonly<Record<string, string>>,
): boolean {
  for (const [label, raw] of Object.entries(spec)) {
    const expected = typeof raw === 'string' ? [raw] : raw;
    const value = resource[label];
    const positives = expected.filter((e) => !e.startsWith('!'));
    const negatives = expected.filter((e) => e.startsWith('!'));
    if (positives.length > 0 && !positives.some((e) => labelValueMatches(e, value))) return false;
    if (negatives.some((e) => !labelValueMatches(e, value))) return false;
  }
  return true;
}

const specs = (t: EventTrigger): readonly ResourceSpecification[] =>
  Array.isArray(t.match_related) ? t.match_related : [t.match_related as ResourceSpecification];

/** An event name against a glob list entry (`*` suffix globs, as upstream). */
export function eventNameMatches(glob: string, name: string): boolean {
  return labelValueMatches(glob, name);
}

export const expects = (t: EventTrigger, name: string): boolean =>
  t.expect.length === 0 || t.expect.some((g) => eventNameMatches(g, name));

export const startsAfter = (t: EventTrigger, name: string): boolean =>
  t.after.some((g) => eventNameMatches(g, name));

/** The regex of `expect ∪ after` (`.+` when `expect` is empty), matched at the start like Python's `re.match`. */
export function eventPattern(t: EventTrigger): RegExp {
  if (t.expect.length === 0) return /^.+/;
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+');
  return new RegExp(`^(?:${[...new Set([...t.expect, ...t.after])].map(escape).join('|')})`);
}

/** `covers(e)`: the name matches the pattern, `match` the primary resource, each `match_related` some related one. */
export function covers(t: EventTrigger, e: TriggeringEvent, pattern = eventPattern(t)): boolean {
  if (!pattern.test(e.event)) return false;
  if (!resourceMatches(t.match, e.resource)) return false;
  return specs(t).every(
    (spec) => Object.keys(spec).length === 0 || e.related.some((r) => resourceMatches(spec, r)),
  );
}

/** A label of the event: `related:<role>:<label>` reads the first related resource in that role. */
export function findResourceLabel(e: TriggeringEvent, label: string): string | undefined {
  if (label.startsWith('related:')) {
    const [, role, name] = label.split(':', 3);
    const related = e.related.find((r) => r['prefect.resource.role'] === role);
    return name === undefined ? undefined : related?.[name];
  }
  return e.resource[label];
}

/** The `for_each` values, sorted by label name; a missing label gives "". */
export function bucketingKey(t: EventTrigger, e: TriggeringEvent): string[] {
  return [...t.for_each].sort().map((label) => findResourceLabel(e, label) ?? '');
}

/** `for_each ⨯ key`: the triggering labels of a firing. */
export function triggeringLabels(t: EventTrigger, key: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  [...t.for_each].sort().forEach((label, i) => (labels[label] = key[i] ?? ''));
  return labels;
}

export const meetsThreshold = (t: EventTrigger, count: number): boolean =>
  t.posture === 'Reactive' ? count >= t.threshold : count < t.threshold;

export const isImmediate = (t: EventTrigger): boolean => t.posture === 'Reactive' && t.within === 0;

/** A proactive trigger's effective window: at least 10 s (upstream turns 0 into 10 s). */
export const withinMs = (t: EventTrigger): number =>
  (t.posture === 'Proactive' ? Math.max(t.within, 10) : t.within) * 1000;

/** The state of one `automation_bucket` row, times in epoch ms. */
export interface BucketState {
  readonly key: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly lastEvent: TriggeringEvent | null;
}

/** A window that met its threshold: the trigger fires with these. */
export interface FiredWindow {
  readonly bucket: BucketState;
  readonly event: TriggeringEvent | null;
}

export interface Evaluation {
  /** What to store: the bucket's new state, or null to delete the row. `unchanged` leaves it alone. */
  readonly bucket: BucketState | null | 'unchanged';
  readonly fired: readonly FiredWindow[];
}

/**
 * `evaluate(trigger, bucket, now, e?)` of §5.3, on a bucket the caller holds locked. `now` is the
 * event's `occurred` (reactive) or the proactive `as_of`.
 */
export function evaluate(
  t: EventTrigger,
  bucket: BucketState,
  now: number,
  event: TriggeringEvent | null,
): Evaluation {
  let b = bucket;
  let unspent = event !== null;
  if (now < b.start) return { bucket: 'unchanged', fired: [] }; // late or redundant
  if (unspent && (isImmediate(t) || (b.start <= now && now < b.end))) {
    b = { ...b, count: b.count + 1, lastEvent: event };
    unspent = false;
  }
  const ready = t.posture === 'Reactive' || b.end <= now;
  const fired: FiredWindow[] = [];
  if (ready && meetsThreshold(t, b.count)) {
    fired.push({ bucket: b, event: event ?? b.lastEvent });
  } else if (now < b.end) {
    // The heartbeat pattern: a proactive trigger whose `after` and `expect` both take this event,
    // and whose window has seen enough, starts its window again at the event.
    if (
      t.posture === 'Proactive' &&
      event !== null &&
      startsAfter(t, event.event) &&
      expects(t, event.event) &&
      !meetsThreshold(t, b.count)
    ) {
      const start = Date.parse(event.occurred);
      return { bucket: { ...b, start, end: start + withinMs(t), count: 0, lastEvent: event }, fired };
    }
    return { bucket: b, fired };
  }
  if (t.after.length > 0) return { bucket: null, fired };
  const within = withinMs(t);
  if (within === 0) return { bucket: fired.length > 0 ? null : b, fired };
  const start = Math.max(b.end, now);
  // A fired bucket was deleted and its successor starts blank; an expired one keeps its last event.
  const lastEvent = fired.length > 0 ? null : b.lastEvent;
  const next: BucketState = { key: b.key, start, end: start + within, count: 0, lastEvent };
  if (t.posture === 'Reactive' && unspent) {
    const again = evaluate(t, next, now, event);
    return { bucket: again.bucket === 'unchanged' ? next : again.bucket, fired: [...fired, ...again.fired] };
  }
  return { bucket: { ...next, count: unspent ? 1 : 0 }, fired };
}

/** How many child firings a composite needs. */
export function expectedFirings(t: CompositeTrigger): number {
  if (t.type === 'sequence') return t.triggers.length;
  if (t.require === 'any') return 1;
  if (t.require === 'all') return t.triggers.length;
  return t.require;
}

/** `ready_to_fire`: compound — enough firings; sequence — every child, in declared order by firing time. */
export function readyToFire(t: CompositeTrigger, firings: readonly Firing[]): boolean {
  if (t.type === 'compound') return firings.length >= expectedFirings(t);
  const order = [...firings]
    .sort((a, b) => Date.parse(a.triggered) - Date.parse(b.triggered))
    .map((f) => f.trigger.id);
  const expected = t.triggers.map((c) => c.id);
  return order.length === expected.length && order.every((id, i) => id === expected[i]);
}
