import { namedResource, serverEvent } from '@orrery/events';
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
  return serverEvent(
    `prefect.concurrency-limit.${action}`,
    namedResource('concurrency-limit', limit.id, limit.name),
    [],
    {
      name: limit.name,
      limit: limit.limit,
      active: limit.active,
      slot_decay_per_second: limit.slotDecayPerSecond,
    },
  );
}
