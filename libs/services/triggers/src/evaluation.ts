// Reactive and proactive evaluation and firing (spec-services-events-ha §5.3, §5.5) over a
// TriggerStore. An event is evaluated against a trigger once: the store records the pair with the
// evaluation's writes, and an event delivered again after a crash (its evaluation committed, its
// acknowledgement lost) finds it and changes nothing. Firings, their events and their actions get ids
// derived from what caused them, so a firing published twice (the outbox relay after a crash) is
// dropped by id downstream.
import {
  type AutomationRecord,
  type CompositeTrigger,
  type EventTrigger,
  type Firing,
  stableUuid7,
  type Trigger,
  type TriggeringEvent,
} from '@orrery/automations';
import {
  type BucketState,
  bucketingKey,
  evaluate,
  expectedFirings,
  expects,
  PRECEDING_EVENT_LOOKBACK_MS,
  readyToFire,
  startsAfter,
  triggeringLabels,
  withinMs,
} from './trigger-logic';
import type { BucketKey, TriggerStore } from './trigger-store';

/** An enabled automation's event trigger as the cache holds it. */
export interface LoadedTrigger {
  readonly automation: AutomationRecord;
  readonly trigger: EventTrigger;
  readonly pattern: RegExp;
  /** Composite parent of each trigger of the automation's tree. */
  readonly parents: ReadonlyMap<string, CompositeTrigger>;
}

/** Called once per firing of an automation's root trigger (the store's transaction is still open). */
export type Act = (automation: AutomationRecord, firing: Firing) => void | Promise<void>;

/** Milliseconds encoded in a version-7 UUID. */
export const uuid7Millis = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

const AUTOMATION_BUCKET_BATCH_SIZE = 500;

/**
 * A reactive trigger of threshold 1 without `after`, whose firings go straight to its automation:
 * every event it counts fires it and leaves its bucket at 0, so seeing an event again only names the
 * same firing again (dropped by id downstream). It needs no record of the events it evaluated — the
 * commonest automation ("tell me when a run fails") keeps its one-statement-shorter transaction.
 */
export const firesOnEveryEvent = ({ trigger: t, parents }: LoadedTrigger): boolean =>
  t.posture === 'Reactive' && t.threshold <= 1 && t.after.length === 0 && !parents.has(t.id);

/** Reactive path, step 5, for one trigger that covers the event. */
export async function reactiveEvaluation(
  store: TriggerStore,
  loaded: LoadedTrigger,
  event: TriggeringEvent,
  act: Act,
  now: () => number = Date.now,
): Promise<void> {
  const t = loaded.trigger;
  const id: BucketKey = { automationId: loaded.automation.id, triggerId: t.id, key: bucketingKey(t, event) };
  const occurred = Date.parse(event.occurred);
  const within = withinMs(t);
  const starts = t.after.length > 0 && startsAfter(t, event.event);
  if (!starts && !expects(t, event.event)) return;
  // Once per (event, trigger): evaluated again after a crash, it would be counted twice.
  if (!firesOnEveryEvent(loaded) && !(await store.markEvaluated(id.automationId, t.id, event.id))) return;
  let bucket: BucketState | null = null;
  if (starts) {
    bucket = await store.ensure(id, {
      start: occurred,
      end: occurred + within,
      count: expects(t, event.event) ? -1 : 0,
      lastEvent: event,
    });
  }
  if (bucket === null && t.after.length === 0 && expects(t, event.event)) {
    bucket = await store.ensure(id, {
      start: occurred - PRECEDING_EVENT_LOOKBACK_MS,
      end: occurred + within,
      count: 0,
      lastEvent: event,
    });
  }
  if (!expects(t, event.event)) return;
  bucket ??= await store.read(id);
  if (bucket === null) return;
  await evaluateBucket(store, loaded, id, bucket, occurred, event, act, now);
}

/** Proactive path for one trigger as of `asOf` (ms); returns when it should run again. */
export async function proactiveEvaluation(
  store: TriggerStore,
  loaded: LoadedTrigger,
  asOf: number,
  act: Act,
  now: () => number = Date.now,
): Promise<number> {
  const t = loaded.trigger;
  const automationId = loaded.automation.id;
  const within = withinMs(t);
  let runAgainAt = asOf + within;
  if (t.for_each.length === 0) {
    await store.ensure(
      { automationId, triggerId: t.id, key: [] },
      { start: asOf, end: asOf + within, count: 0, lastEvent: null },
    );
  }
  await store.removeExceeding(automationId, t.id, t.threshold);
  for (let offset = 0; ; offset += AUTOMATION_BUCKET_BATCH_SIZE) {
    const page = await store.page(automationId, t.id, AUTOMATION_BUCKET_BATCH_SIZE, offset);
    for (const bucket of page) {
      const next = await evaluateBucket(
        store,
        loaded,
        { automationId, triggerId: t.id, key: bucket.key },
        bucket,
        asOf,
        null,
        act,
        now,
      );
      if (next !== null && asOf < next.end && next.end < runAgainAt) runAgainAt = next.end;
    }
    if (page.length < AUTOMATION_BUCKET_BATCH_SIZE) break;
  }
  return runAgainAt;
}

async function evaluateBucket(
  store: TriggerStore,
  loaded: LoadedTrigger,
  id: BucketKey,
  bucket: BucketState,
  at: number,
  event: TriggeringEvent | null,
  act: Act,
  now: () => number,
): Promise<BucketState | null> {
  const t = loaded.trigger;
  const result = evaluate(t, bucket, at, event);
  if (result.bucket !== 'unchanged') await store.write(id, result.bucket, result.fired.length > 0);
  for (const window of result.fired) {
    // Named after what fired it: the event, or (proactively) the window that stayed too quiet.
    const cause = event !== null ? `event:${event.id}` : `window:${window.bucket.start}-${window.bucket.end}`;
    const at = event !== null ? Date.parse(event.occurred) : window.bucket.end;
    const firing: Firing = {
      id: stableUuid7(`${t.id}|${JSON.stringify(id.key)}|${cause}`, at),
      trigger: t,
      trigger_states: ['Triggered'],
      triggered: new Date(now()).toISOString(),
      triggering_labels: triggeringLabels(t, id.key),
      triggering_firings: [],
      triggering_event: window.event,
      triggering_value: null,
    };
    await fire(store, loaded, firing, act, now);
  }
  return result.bucket === 'unchanged' ? bucket : result.bucket;
}

/** A firing goes to the automation (act) or to its composite parent (§5.5), recursively. */
export async function fire(
  store: TriggerStore,
  loaded: LoadedTrigger,
  firing: Firing,
  act: Act,
  now: () => number = Date.now,
): Promise<void> {
  const parent = loaded.parents.get(firing.trigger.id);
  if (parent === undefined) {
    await act(loaded.automation, firing);
    return;
  }
  const automationId = loaded.automation.id;
  const parentFiring = (children: readonly Firing[]): Firing => ({
    id: stableUuid7(
      `${parent.id}|${children
        .map((c) => c.id)
        .sort()
        .join(',')}`,
      Math.max(...children.map((c) => uuid7Millis(c.id))),
    ),
    trigger: parent as Trigger,
    trigger_states: ['Triggered'],
    triggered: new Date(now()).toISOString(),
    triggering_labels: {},
    triggering_firings: children,
    triggering_event: firing.triggering_event,
    triggering_value: null,
  });
  if (expectedFirings(parent) === 1) {
    await fire(store, loaded, parentFiring([firing]), act, now);
    return;
  }
  await store.lockParent(parent.id);
  if (parent.within !== null && parent.within !== undefined) {
    await store.clearOldChildFirings(
      automationId,
      parent.id,
      Date.parse(firing.triggered) - parent.within * 1000,
    );
  }
  await store.upsertChildFiring(automationId, parent.id, firing);
  const firings = await store.childFirings(automationId, parent.id);
  const ids = firings.map((f) => f.id);
  if (!ids.includes(firing.id)) return; // superseded
  if (!readyToFire(parent, firings)) return;
  const deleted = await store.clearChildFirings(automationId, parent.id, ids);
  if (deleted.length !== ids.length || !ids.every((i) => deleted.includes(i))) return; // lost the race
  await fire(store, loaded, parentFiring(firings), act, now);
}
