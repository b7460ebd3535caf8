import { Instant } from '@orrery/domain';
import type { EventRecord } from '@orrery/persistence';

/** A stored event as Prefect's `ReceivedEvent` (timestamps µs ISO-8601 UTC). */
export function receivedEventResponse(row: EventRecord): Record<string, unknown> {
  return {
    occurred: Instant.parse(row.occurred).toISOString(),
    event: row.event,
    resource: row.resource,
    related: row.related,
    payload: row.payload,
    id: row.id,
    follows: row.follows,
    received: Instant.parse(row.received).toISOString(),
  };
}
