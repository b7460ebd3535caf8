// "Why didn't my automation fire?" — replays stored events through an automation's trigger in
// memory (the same evaluation code, a MemoryTriggerStore, no outbox), with proactive ticks every
// granularity between them, and reports what matched, the bucket counts, and when it would have
// fired. Nothing is written and nothing acts.
import type { AutomationRecord, Firing, TriggeringEvent } from '@orrery/automations';
import { loadTriggers } from './automation-cache';
import { proactiveEvaluation, reactiveEvaluation } from './evaluation';
import { bucketingKey, covers } from './trigger-logic';
import { MemoryTriggerStore } from './trigger-store';

export interface ExplainedMatch {
  readonly event_id: string;
  readonly event: string;
  readonly occurred: string;
  readonly resource_id: string;
  readonly trigger_id: string;
  /** The trigger's bucket for this event's key right after evaluating it (null: none kept). */
  readonly bucket: { key: readonly string[]; start: string; end: string; count: number } | null;
}

export interface ExplainedFiring {
  /** The simulated time the trigger fired (the event's `occurred`, or the proactive tick). */
  readonly triggered: string;
  readonly trigger_id: string;
  readonly triggering_event_id: string | null;
  readonly triggering_labels: Readonly<Record<string, string>>;
}

export interface Explanation {
  readonly automation: { id: string; name: string; enabled: boolean };
  readonly since: string;
  readonly until: string;
  readonly events_replayed: number;
  readonly matching_events: ExplainedMatch[];
  readonly firings: ExplainedFiring[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Replays `events` (any order; sorted here by `occurred`) through the automation over [since, until]. */
export async function explainAutomation(
  automation: AutomationRecord,
  events: readonly TriggeringEvent[],
  sinceMs: number,
  untilMs: number,
  proactiveGranularityMs = 5000,
): Promise<Explanation> {
  const loaded = loadTriggers({ ...automation, enabled: true });
  const store = new MemoryTriggerStore();
  let now = sinceMs;
  const firings: ExplainedFiring[] = [];
  const act = (_a: AutomationRecord, f: Firing) =>
    void firings.push({
      triggered: iso(now),
      trigger_id: f.trigger.id,
      triggering_event_id: f.triggering_event?.id ?? null,
      triggering_labels: f.triggering_labels,
    });
  const proactive = loaded.filter((l) => l.trigger.posture === 'Proactive');
  const nextRun = new Map<string, number>();
  let nextTick = sinceMs;
  const tickUntil = async (limit: number) => {
    for (; nextTick <= limit; nextTick += proactiveGranularityMs) {
      now = nextTick;
      for (const l of proactive) {
        if ((nextRun.get(l.trigger.id) ?? nextTick) > nextTick) continue;
        nextRun.set(l.trigger.id, await proactiveEvaluation(store, l, nextTick, act, () => now));
      }
    }
  };
  const matches: ExplainedMatch[] = [];
  const sorted = [...events].sort((a, b) => Date.parse(a.occurred) - Date.parse(b.occurred));
  for (const event of sorted) {
    const occurred = Date.parse(event.occurred);
    await tickUntil(occurred);
    now = occurred;
    for (const l of loaded.filter((x) => covers(x.trigger, event, x.pattern))) {
      await reactiveEvaluation(store, l, event, act, () => now);
      const key = bucketingKey(l.trigger, event);
      const bucket = await store.read({ automationId: automation.id, triggerId: l.trigger.id, key });
      matches.push({
        event_id: event.id,
        event: event.event,
        occurred: event.occurred,
        resource_id: event.resource['prefect.resource.id'] ?? '',
        trigger_id: l.trigger.id,
        bucket:
          bucket === null
            ? null
            : { key: bucket.key, start: iso(bucket.start), end: iso(bucket.end), count: bucket.count },
      });
    }
  }
  await tickUntil(untilMs);
  return {
    automation: { id: automation.id, name: automation.name, enabled: automation.enabled },
    since: iso(sinceMs),
    until: iso(untilMs),
    events_replayed: sorted.length,
    matching_events: matches,
    firings,
  };
}
