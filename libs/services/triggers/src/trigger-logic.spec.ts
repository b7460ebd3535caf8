import type { EventTrigger, TriggeringEvent } from '@orrery/automations';
import {
  type BucketState,
  bucketingKey,
  covers,
  evaluate,
  meetsThreshold,
  PRECEDING_EVENT_LOOKBACK_MS,
  readyToFire,
} from './trigger-logic';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const trigger = (over: Partial<EventTrigger> = {}): EventTrigger => ({
  type: 'event',
  id: 't',
  match: {},
  match_related: [],
  after: [],
  expect: ['x'],
  for_each: [],
  posture: 'Reactive',
  threshold: 1,
  within: 0,
  ...over,
});
const event = (name: string, atMs: number, over: Partial<TriggeringEvent> = {}): TriggeringEvent => ({
  id: `e${atMs}`,
  occurred: new Date(atMs).toISOString(),
  received: new Date(atMs).toISOString(),
  event: name,
  resource: { 'prefect.resource.id': 'r.1' },
  related: [],
  payload: {},
  follows: null,
  ...over,
});
const bucket = (start: number, end: number, count: number): BucketState => ({
  key: [],
  start,
  end,
  count,
  lastEvent: null,
});

describe('covers', () => {
  it.each([
    ['exact name', trigger(), event('x', T0), true],
    ['other name', trigger(), event('y', T0), false],
    ['glob', trigger({ expect: ['prefect.flow-run.*'] }), event('prefect.flow-run.Failed', T0), true],
    ['empty expect covers anything', trigger({ expect: [] }), event('anything', T0), true],
    ['after names count', trigger({ after: ['a'] }), event('a', T0), true],
    ['match on resource', trigger({ match: { 'prefect.resource.id': 'r.*' } }), event('x', T0), true],
    ['match fails', trigger({ match: { 'prefect.resource.id': 'q.*' } }), event('x', T0), false],
    ['negated match', trigger({ match: { 'prefect.resource.id': '!r.1' } }), event('x', T0), false],
    [
      'match_related needs a related resource',
      trigger({ match_related: { 'prefect.resource.role': 'flow' } }),
      event('x', T0),
      false,
    ],
    [
      'match_related satisfied',
      trigger({ match_related: [{ 'prefect.resource.role': 'flow' }] }),
      event('x', T0, { related: [{ 'prefect.resource.id': 'f', 'prefect.resource.role': 'flow' }] }),
      true,
    ],
  ])('%s', (_name, t, e, expected) => {
    expect(covers(t, e)).toBe(expected);
  });
});

describe('bucketingKey', () => {
  it('takes for_each values sorted by label, related:<role>:<label>, "" when missing', () => {
    const t = trigger({ for_each: ['prefect.resource.id', 'related:flow:prefect.resource.id', 'absent'] });
    const e = event('x', T0, {
      related: [{ 'prefect.resource.id': 'f.1', 'prefect.resource.role': 'flow' }],
    });
    expect(bucketingKey(t, e)).toEqual(['', 'r.1', 'f.1']);
  });
});

describe('meetsThreshold', () => {
  it.each([
    ['Reactive', 2, 1, false],
    ['Reactive', 2, 2, true],
    ['Proactive', 2, 1, true],
    ['Proactive', 2, 2, false],
  ] as const)('%s threshold %d count %d → %s', (posture, threshold, count, expected) => {
    expect(meetsThreshold(trigger({ posture, threshold }), count)).toBe(expected);
  });
});

describe('evaluate (§5.3)', () => {
  const W = 10_000;
  it.each<[string, EventTrigger, BucketState, number, boolean, BucketState | null | 'unchanged', number]>([
    // name, trigger, bucket, now, with event?, expected bucket, expected firings
    ['late event is ignored', trigger({ within: 10 }), bucket(T0, T0 + W, 0), T0 - 1, true, 'unchanged', 0],
    [
      'immediate trigger fires on each event and keeps nothing',
      trigger(),
      bucket(T0 - PRECEDING_EVENT_LOOKBACK_MS, T0, 0),
      T0,
      true,
      null,
      1,
    ],
    [
      'immediate below threshold keeps counting in the same bucket',
      trigger({ threshold: 3 }),
      bucket(T0 - 1000, T0, 1),
      T0,
      true,
      { ...bucket(T0 - 1000, T0, 2), lastEvent: event('x', T0) },
      0,
    ],
    [
      'windowed reactive below threshold keeps its window',
      trigger({ threshold: 2, within: 10 }),
      bucket(T0, T0 + W, 0),
      T0 + 1,
      true,
      { ...bucket(T0, T0 + W, 1), lastEvent: event('x', T0 + 1) },
      0,
    ],
    [
      'windowed reactive meeting the threshold fires and opens the next window',
      trigger({ threshold: 2, within: 10 }),
      bucket(T0, T0 + W, 1),
      T0 + 2,
      true,
      bucket(T0 + W, T0 + 2 * W, 0),
      1,
    ],
    [
      'an event after the window rolls over and is counted in the new window',
      trigger({ threshold: 2, within: 10 }),
      bucket(T0, T0 + W, 1),
      T0 + W + 5,
      true,
      { ...bucket(T0 + W + 5, T0 + 2 * W + 5, 1), lastEvent: event('x', T0 + W + 5) },
      0,
    ],
    [
      'an event after the window can fire the new window at once',
      trigger({ threshold: 1, within: 10 }),
      bucket(T0, T0 + W, 0),
      T0 + W + 5,
      true,
      bucket(T0 + 2 * W + 5, T0 + 3 * W + 5, 0),
      1,
    ],
    [
      'with after, a finished window is deleted',
      trigger({ after: ['a'], threshold: 2, within: 10 }),
      bucket(T0, T0 + W, 1),
      T0 + W + 1,
      true,
      null,
      0,
    ],
    [
      'proactive waits out its window',
      trigger({ posture: 'Proactive', within: 10 }),
      bucket(T0, T0 + W, 0),
      T0 + 5,
      false,
      bucket(T0, T0 + W, 0),
      0,
    ],
    [
      'proactive fires when its window closed too quiet and opens the next',
      trigger({ posture: 'Proactive', within: 10 }),
      bucket(T0, T0 + W, 0),
      T0 + W,
      false,
      bucket(T0 + W, T0 + 2 * W, 0),
      1,
    ],
    [
      'proactive does not fire when enough came',
      trigger({ posture: 'Proactive', within: 10 }),
      bucket(T0, T0 + W, 1),
      T0 + W,
      false,
      bucket(T0 + W, T0 + 2 * W, 0),
      0,
    ],
    [
      'proactive heartbeat (after = expect) restarts its window at the event',
      trigger({ posture: 'Proactive', within: 10, after: ['x'] }),
      bucket(T0, T0 + W, 0),
      T0 + 3000,
      true,
      { ...bucket(T0 + 3000, T0 + 3000 + W, 0), lastEvent: event('x', T0 + 3000) },
      0,
    ],
    [
      'proactive heartbeat fires once when the beats stop, and the bucket goes',
      trigger({ posture: 'Proactive', within: 10, after: ['x'] }),
      bucket(T0, T0 + W, 0),
      T0 + W,
      false,
      null,
      1,
    ],
  ])('%s', (_name, t, b, now, withEvent, expectedBucket, firings) => {
    const result = evaluate(t, b, now, withEvent ? event('x', now) : null);
    expect(result.bucket).toEqual(expectedBucket);
    expect(result.fired).toHaveLength(firings);
  });

  it('names the triggering event, or the bucket’s last event proactively', () => {
    const last = event('x', T0 + 1);
    const fired = evaluate(
      trigger({ posture: 'Proactive', within: 10, threshold: 2 }),
      { ...bucket(T0, T0 + W, 1), lastEvent: last },
      T0 + W,
      null,
    ).fired;
    expect(fired[0]?.event).toEqual(last);
  });
});

describe('readyToFire (§5.5)', () => {
  const child = (id: string) => trigger({ id });
  const firing = (id: string, at: number) => ({
    id: `f-${id}`,
    trigger: child(id),
    trigger_states: ['Triggered' as const],
    triggered: new Date(at).toISOString(),
    triggering_labels: {},
    triggering_firings: [],
    triggering_event: null,
    triggering_value: null,
  });
  const compound = (require: 'any' | 'all' | number) => ({
    type: 'compound' as const,
    id: 'p',
    require,
    within: null,
    triggers: [child('a'), child('b'), child('c')],
  });
  const sequence = { type: 'sequence' as const, id: 's', within: null, triggers: [child('a'), child('b')] };

  it.each([
    ['all with two of three', compound('all'), [firing('a', 1), firing('b', 2)], false],
    ['all with three', compound('all'), [firing('a', 1), firing('b', 2), firing('c', 3)], true],
    ['2 with two', compound(2), [firing('c', 1), firing('a', 2)], true],
    ['any with one', compound('any'), [firing('b', 1)], true],
    ['sequence in order', sequence, [firing('a', 1), firing('b', 2)], true],
    ['sequence out of order', sequence, [firing('b', 1), firing('a', 2)], false],
    ['sequence incomplete', sequence, [firing('a', 1)], false],
  ])('%s', (_name, parent, firings, expected) => {
    expect(readyToFire(parent, firings)).toBe(expected);
  });
});
