import type { AutomationRecord, EventTrigger, Firing, Trigger, TriggeringEvent } from '@orrery/automations';
import { Instant } from '@orrery/domain';
import { loadTriggers } from './automation-cache';
import { reactiveEvaluation, proactiveEvaluation } from './evaluation';
import { firingMessages } from './firing-messages';
import { MemoryTriggerStore } from './trigger-store';

const eventTrigger = (id: string, expect: string, over: Partial<EventTrigger> = {}): EventTrigger => ({
  type: 'event',
  id,
  match: {},
  match_related: [],
  after: [],
  expect: [expect],
  for_each: [],
  posture: 'Reactive',
  threshold: 1,
  within: 0,
  ...over,
});
const automation = (trigger: Trigger): AutomationRecord => ({
  id: '00000000-0000-7000-8000-000000000001',
  created: Instant.now(),
  updated: Instant.now(),
  name: 'a',
  description: '',
  enabled: true,
  tags: [],
  trigger,
  actions: [{ type: 'do-nothing' }],
  actionsOnTrigger: [{ type: 'do-nothing' }],
  actionsOnResolve: [],
});
let clock = Date.parse('2026-01-01T00:00:00Z');
const event = (name: string): TriggeringEvent => {
  clock += 1000;
  return {
    id: `00000000-0000-7000-8000-${String(clock).padStart(12, '0')}`,
    occurred: new Date(clock).toISOString(),
    received: new Date(clock).toISOString(),
    event: name,
    resource: { 'prefect.resource.id': 'r' },
    related: [],
    payload: {},
    follows: null,
  };
};

/** Feeds events through every covering trigger of the automation; returns the root firings. */
async function feed(
  a: AutomationRecord,
  names: string[],
  store = new MemoryTriggerStore(),
): Promise<Firing[]> {
  const fired: Firing[] = [];
  const loaded = loadTriggers(a);
  for (const name of names) {
    const e = event(name);
    for (const l of loaded.filter((l) => l.pattern.test(e.event))) {
      await reactiveEvaluation(
        store,
        l,
        e,
        (_a, f) => void fired.push(f),
        () => clock,
      );
    }
  }
  return fired;
}

describe('composite triggers (§5.5)', () => {
  const compoundAll = automation({
    type: 'compound',
    id: 'p',
    require: 'all',
    within: null,
    triggers: [eventTrigger('a', 'A'), eventTrigger('b', 'B')],
  });
  const sequence = automation({
    type: 'sequence',
    id: 's',
    within: null,
    triggers: [eventTrigger('a', 'A'), eventTrigger('b', 'B')],
  });

  it('compound all fires only once every child fired, then starts over', async () => {
    expect(await feed(compoundAll, ['A', 'A'])).toHaveLength(0);
    const fired = await feed(compoundAll, ['A', 'B', 'B']);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.trigger.id).toBe('p');
    expect(fired[0]!.triggering_firings.map((f) => f.trigger.id).sort()).toEqual(['a', 'b']);
  });

  it('sequence fires for children in order, not out of order', async () => {
    expect(await feed(sequence, ['B', 'A'])).toHaveLength(0);
    expect(await feed(sequence, ['A', 'B'])).toHaveLength(1);
  });

  it('nests: a compound any inside a sequence', async () => {
    const nested = automation({
      type: 'sequence',
      id: 's',
      within: null,
      triggers: [
        {
          type: 'compound',
          id: 'c',
          require: 'any',
          within: null,
          triggers: [eventTrigger('a', 'A'), eventTrigger('x', 'X')],
        },
        eventTrigger('b', 'B'),
      ],
    });
    expect(await feed(nested, ['X', 'B'])).toHaveLength(1);
  });

  it('drops child firings older than within', async () => {
    const windowed = automation({ ...compoundAll.trigger, within: 0.5 } as Trigger);
    expect(await feed(windowed, ['A', 'B'])).toHaveLength(0); // 1 s apart: A is too old when B fires
  });
});

describe('firing ids', () => {
  it('evaluating the same event twice names the same firing and the same actions', async () => {
    const a = automation(eventTrigger('t', 'A'));
    const [loaded] = loadTriggers(a);
    const e = event('A');
    const fired: Firing[] = [];
    for (let i = 0; i < 2; i++) {
      await reactiveEvaluation(
        new MemoryTriggerStore(),
        loaded!,
        e,
        (_a, f) => void fired.push(f),
        () => clock + i,
      );
    }
    expect(fired[0]!.id).toBe(fired[1]!.id);
    const ids = (f: Firing) => firingMessages(a, f, new Date().toISOString()).map((m) => m.attributes?.id);
    expect(ids(fired[0]!)).toEqual(ids(fired[1]!));
  });

  it('publishes the triggered event, then actions (with the event) and actions_on_trigger (with the triggered event)', async () => {
    const a = automation(eventTrigger('t', 'A'));
    const [firing] = await feed(a, ['A']);
    const messages = firingMessages(a, firing!, new Date().toISOString());
    expect(messages.map((m) => m.topic)).toEqual(['events', 'actions', 'actions']);
    const triggered = messages[0]!.data as TriggeringEvent;
    expect(triggered.event).toBe('prefect.automation.triggered');
    expect(triggered.resource['prefect.posture']).toBe('Reactive');
    const [first, second] = messages
      .slice(1)
      .map((m) => m.data as { action_index: number; triggering_event: TriggeringEvent });
    expect(first!.action_index).toBe(0);
    expect(first!.triggering_event.event).toBe('A');
    expect(second!.action_index).toBe(1);
    expect(second!.triggering_event.id).toBe(triggered.id);
  });
});

describe('proactive evaluation', () => {
  it('fires once for a window with no event and not for one that had its event', async () => {
    const a = automation(eventTrigger('t', 'beat', { posture: 'Proactive', within: 10 }));
    const [loaded] = loadTriggers(a);
    const store = new MemoryTriggerStore();
    const fired: Firing[] = [];
    const act = (_a: AutomationRecord, f: Firing) => void fired.push(f);
    const t0 = clock;
    await proactiveEvaluation(store, loaded!, t0, act, () => clock);
    const e = event('beat');
    await reactiveEvaluation(store, loaded!, e, act, () => clock);
    await proactiveEvaluation(store, loaded!, t0 + 10_000, act, () => clock);
    expect(fired).toHaveLength(0);
    // The full window was dropped (it can never fire); the next one opens at the next evaluation…
    await proactiveEvaluation(store, loaded!, t0 + 20_000, act, () => clock);
    expect(fired).toHaveLength(0);
    // …and, with no event in it, fires when it closes.
    await proactiveEvaluation(store, loaded!, t0 + 30_000, act, () => clock);
    expect(fired).toHaveLength(1);
  });
});

describe('an event evaluated again (its evaluator died after committing)', () => {
  /** Evaluates these events, in order, through every covering trigger; returns the root firings. */
  async function evaluateAll(a: AutomationRecord, events: TriggeringEvent[], store: MemoryTriggerStore) {
    const fired: Firing[] = [];
    for (const e of events) {
      for (const l of loadTriggers(a).filter((l) => l.pattern.test(e.event))) {
        await reactiveEvaluation(
          store,
          l,
          e,
          (_a, f) => void fired.push(f),
          () => clock,
        );
      }
    }
    return fired;
  }

  it('is counted once by a threshold-2 trigger: no firing one event early', async () => {
    const store = new MemoryTriggerStore();
    const a = automation(eventTrigger('t', 'A', { threshold: 2, within: 60 }));
    const first = event('A');
    expect(await evaluateAll(a, [first, first], store)).toEqual([]);
    expect([...store.buckets.values()].map((b) => b.count)).toEqual([1]);
    const second = event('A');
    const fired = await evaluateAll(a, [second], store);
    expect(fired.map((f) => f.triggering_event?.id)).toEqual([second.id]);
  });

  it('gives a composite parent its child firing once', async () => {
    const store = new MemoryTriggerStore();
    const a = automation({
      type: 'compound',
      id: 'p',
      require: 'all',
      within: null,
      triggers: [eventTrigger('a', 'A'), eventTrigger('b', 'B')],
    });
    const childA = event('A');
    expect(await evaluateAll(a, [childA, event('B')], store)).toHaveLength(1);
    // Again, the A already spent on that firing must not pair with the next B.
    expect(await evaluateAll(a, [childA, event('B')], store)).toEqual([]);
  });

  it.each([0, 60])(
    'needs no record on a reactive threshold-1 trigger (within %d): nothing but the same firing again, its window and count as they were',
    async (within) => {
      const store = new MemoryTriggerStore();
      const marked = jest.spyOn(store, 'markEvaluated');
      const a = automation(eventTrigger('t', 'A', { within }));
      const e = event('A');
      const once = await evaluateAll(a, [e], store);
      expect(once).toHaveLength(1);
      const windows = () =>
        [...store.buckets.values()].map(({ start, end, count }) => ({ start, end, count }));
      const before = windows();
      const again = await evaluateAll(a, [e], store);
      expect(again.filter((f) => f.id !== once[0]!.id)).toEqual([]);
      expect(windows()).toEqual(before);
      expect(marked).not.toHaveBeenCalled();
    },
  );
});
