import type { Trigger } from './automation.model';

/** A resource of an event: string labels, `prefect.resource.id` always present. */
export type EventResource = Readonly<Record<string, string>>;

/**
 * The event that made a trigger fire, as received (structurally `ReceivedEvent` of @orrery/events,
 * which this util lib may not import).
 */
export interface TriggeringEvent {
  readonly id: string;
  readonly occurred: string;
  readonly received: string;
  readonly event: string;
  readonly resource: EventResource;
  readonly related: readonly EventResource[];
  readonly payload: Readonly<Record<string, unknown>>;
  readonly follows: string | null;
}

export type TriggerState = 'Triggered' | 'Resolved';

/** One firing of a trigger (upstream `Firing`); composite parents carry their children's firings. */
export interface Firing {
  readonly id: string;
  readonly trigger: Trigger;
  readonly trigger_states: readonly TriggerState[];
  /** ISO timestamp. */
  readonly triggered: string;
  readonly triggering_labels: Readonly<Record<string, string>>;
  readonly triggering_firings: readonly Firing[];
  readonly triggering_event: TriggeringEvent | null;
  readonly triggering_value: unknown;
}
