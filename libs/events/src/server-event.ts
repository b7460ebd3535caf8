import { Instant, uuid7 } from '@orrery/domain';
import type { OutboxMessage } from '@orrery/persistence';
import { EVENTS_TOPIC, type ReceivedEvent } from './event.model';

/** A `prefect.resource.*` label set: the event's resource or one related resource. */
export type ResourceLabels = Record<string, string>;

/**
 * An event the server emits itself (spec-services-events-ha §3.2), as the outbox message its writing
 * transaction adds: a fresh UUIDv7 id unless one was allocated before the write, `occurred` now
 * unless given, and `received` stamped equal to it (no client sent it).
 */
export function serverEvent(
  name: string,
  resource: ResourceLabels,
  related: ResourceLabels[],
  payload: Record<string, unknown>,
  options: { id?: string; follows?: string | null; occurred?: Instant } = {},
): OutboxMessage {
  const occurred = (options.occurred ?? Instant.now()).toISOString();
  const event: ReceivedEvent = {
    id: options.id ?? uuid7(),
    occurred,
    received: occurred,
    event: name,
    resource,
    related,
    payload,
    follows: options.follows ?? null,
  };
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}

/** The `prefect.resource.id`/`.name` pair of a named object, e.g. `prefect.variable.<id>`. */
export function namedResource(kind: string, id: string, name: string): ResourceLabels {
  return { 'prefect.resource.id': `prefect.${kind}.${id}`, 'prefect.resource.name': name };
}
