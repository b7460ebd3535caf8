import { Instant } from '@orrery/domain';
import type { EventRecord } from '@orrery/persistence';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** A resource: its labels, `prefect.resource.id` among them (and `prefect.resource.role` when related). */
const RESOURCE = wire.dict(wire.string());

export const RECEIVED_EVENT = wireModel('ReceivedEvent', {
  occurred: wire.dateTime(),
  event: wire.string(),
  resource: RESOURCE,
  related: wire.array(RESOURCE),
  payload: wire.dict(),
  id: wire.uuid(),
  follows: wire.nullable(wire.uuid()),
  received: wire.dateTime(),
});

/** A page of events; `next_page` is the URL of the next one, or null on the last. */
export const EVENT_PAGE = wireModel('EventPage', {
  events: wire.array(RECEIVED_EVENT),
  total: wire.integer(),
  next_page: wire.nullable(wire.string()),
});

/** One bucket of `count-by`: the value counted (a day, an event name…), its label and its span. */
export const EVENT_COUNT = wireModel('EventCount', {
  value: wire.string(),
  label: wire.string(),
  count: wire.integer(),
  start_time: wire.dateTime(),
  end_time: wire.dateTime(),
});

/** A stored event as Prefect's `ReceivedEvent` (timestamps µs ISO-8601 UTC). */
export function receivedEventResponse(row: EventRecord): WireOf<typeof RECEIVED_EVENT> {
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
