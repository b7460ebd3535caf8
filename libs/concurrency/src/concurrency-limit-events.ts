import { Instant, uuid7 } from '@orrery/domain';
import { EVENTS_TOPIC, type ReceivedEvent } from '@orrery/events';
import type { ConcurrencyLimitV2Record, OutboxMessage } from '@orrery/persistence';

/**
 * `prefect.concurrency-limit.created|updated|deleted` (upstream `lifecycle.concurrency_limit_v2_*`):
 * resource `prefect.concurrency-limit.<id>` named after the limit, payload
 * `{name, limit, active, slot_decay_per_second}`. The v1 tag routes write v2 rows, so they emit these too.
 */
export function concurrencyLimitEvent(
  action: 'created' | 'updated' | 'deleted',
  limit: ConcurrencyLimitV2Record,
): OutboxMessage {
  const now = Instant.now().toISOString();
  const event: ReceivedEvent = {
    id: uuid7(),
    occurred: now,
    received: now,
    event: `prefect.concurrency-limit.${action}`,
    resource: {
      'prefect.resource.id': `prefect.concurrency-limit.${limit.id}`,
      'prefect.resource.name': limit.name,
    },
    related: [],
    payload: {
      name: limit.name,
      limit: limit.limit,
      active: limit.active,
      slot_decay_per_second: limit.slotDecayPerSecond,
    },
    follows: null,
  };
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}
