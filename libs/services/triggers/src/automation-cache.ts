import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  allTriggers,
  type AutomationRecord,
  type EventTrigger,
  parentsOf,
  type TriggeringEvent,
} from '@orrery/automations';
import { AutomationRepository } from '@orrery/persistence';
import type { LoadedTrigger } from './evaluation';
import { covers, eventPattern } from './trigger-logic';

/** The event triggers of an automation, ready to evaluate (empty when disabled or it has none). */
export function loadTriggers(automation: AutomationRecord): LoadedTrigger[] {
  if (!automation.enabled) return [];
  const parents = parentsOf(automation.trigger);
  return allTriggers(automation.trigger)
    .filter((t): t is EventTrigger => t.type === 'event')
    .map((trigger) => ({ automation, trigger, pattern: eventPattern(trigger), parents }));
}

/**
 * This process's enabled automations with event triggers (§5.4), indexed by the exact event names
 * their patterns name (a pattern with a glob or an empty `expect` goes to the `*` list). Changes
 * come from the NOTIFY listener (`changed`) and the 5-second snapshot reconcile (`reconcile`).
 */
@Injectable()
export class AutomationCache {
  private readonly logger = new Logger('triggers');
  private byAutomation = new Map<string, LoadedTrigger[]>();
  private byName = new Map<string, LoadedTrigger[]>();
  private wildcard: LoadedTrigger[] = [];
  private snapshot: string | null = null;
  /** Serialises every change (upstream's automations lock). */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(@Inject(AutomationRepository) private readonly automations: AutomationRepository) {}

  /** Triggers that cover the event. */
  interested(event: TriggeringEvent): LoadedTrigger[] {
    const named = this.byName.get(event.event) ?? [];
    return [...named, ...this.wildcard].filter((l) => covers(l.trigger, event, l.pattern));
  }

  /** Every loaded trigger. */
  all(): LoadedTrigger[] {
    return [...this.byAutomation.values()].flat();
  }

  get size(): number {
    return this.byAutomation.size;
  }

  /** A NOTIFY: updated/deleted drop the automation; created/updated re-read it. */
  changed(automationId: string, change: string): Promise<void> {
    return this.serially(async () => {
      if (change === 'updated' || change === 'deleted') this.byAutomation.delete(automationId);
      if (change === 'created' || change === 'updated') {
        const record = await this.automations.get(automationId);
        const loaded = record === null ? [] : loadTriggers(record);
        if (loaded.length > 0) this.byAutomation.set(automationId, loaded);
        else this.byAutomation.delete(automationId);
      }
      this.reindex();
    });
  }

  /** Reloads everything when the snapshot `(max(updated), count)` moved (or when forced). */
  reconcile(force = false): Promise<boolean> {
    return this.serially(async () => {
      const snapshot = await this.automations.snapshot();
      if (!force && snapshot === this.snapshot) return false;
      const records = await this.automations.listEnabled();
      const next = new Map<string, LoadedTrigger[]>();
      for (const record of records) {
        const loaded = loadTriggers(record);
        if (loaded.length > 0) next.set(record.id, loaded);
      }
      this.byAutomation = next;
      this.snapshot = snapshot;
      this.reindex();
      this.logger.debug(`loaded ${next.size} automation(s)`);
      return true;
    });
  }

  private reindex(): void {
    const byName = new Map<string, LoadedTrigger[]>();
    const wildcard: LoadedTrigger[] = [];
    for (const loaded of this.all()) {
      const { expect, after } = loaded.trigger;
      const names = expect.length === 0 ? null : [...new Set([...expect, ...after])];
      if (names === null || names.some((n) => n.includes('*') || n.startsWith('!'))) {
        wildcard.push(loaded);
        continue;
      }
      for (const name of names) byName.set(name, [...(byName.get(name) ?? []), loaded]);
    }
    this.byName = byName;
    this.wildcard = wildcard;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lock.then(work, work);
    this.lock = next.catch(() => undefined);
    return next;
  }
}
