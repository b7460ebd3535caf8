/** A resource: string labels, `prefect.resource.id` always present (spec-services-events-ha §3.1). */
export type Resource = Readonly<Record<string, string>>;

/** The label that names a resource, and the one that gives a related resource its role. */
export const RESOURCE_ID_LABEL = 'prefect.resource.id';
export const RESOURCE_ROLE_LABEL = 'prefect.resource.role';

/** The topic every accepted event is published to (§4.2); attributes `id` and `event`. */
export const EVENTS_TOPIC = 'events';

/** What clients send: Prefect's `Event`, validated and normalised (timestamps as µs ISO, ids lower-case). */
export interface Event {
  readonly id: string;
  readonly occurred: string;
  readonly event: string;
  readonly resource: Resource;
  readonly related: readonly Resource[];
  readonly payload: Readonly<Record<string, unknown>>;
  readonly follows: string | null;
}

/** An accepted event: `received` is stamped by the server when it accepts the event. */
export interface ReceivedEvent extends Event {
  readonly received: string;
}

/** The limits of §3.1 (`PREFECT_SERVER_EVENTS_MAXIMUM_*`). */
export interface EventLimits {
  readonly maximumEventNameLength: number;
  readonly maximumLabelsPerResource: number;
  readonly maximumRelatedResources: number;
  readonly maximumSizeBytes: number;
}

/** Prefect's defaults, used when a process provides no settings tree (bare test wiring). */
export const DEFAULT_EVENT_LIMITS: EventLimits = {
  maximumEventNameLength: 1024,
  maximumLabelsPerResource: 500,
  maximumRelatedResources: 100,
  maximumSizeBytes: 1_500_000,
};
