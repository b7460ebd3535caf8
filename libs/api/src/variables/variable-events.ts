import { Instant, uuid7 } from '@orrery/domain';
import { EVENTS_TOPIC, type ReceivedEvent } from '@orrery/events';
import type { OutboxMessage, VariableRecord } from '@orrery/persistence';

/**
 * `prefect.variable.created|updated|deleted` (spec-services-events-ha §3.2, upstream
 * `lifecycle.variable_*_event`): resource `prefect.variable.<id>` named after the variable, payload
 * `{name, value, tags}`, a fresh UUIDv7 id. The server emits these itself, so it stamps `received`.
 */
export function variableEvent(
  action: 'created' | 'updated' | 'deleted',
  variable: VariableRecord,
): OutboxMessage {
  const now = Instant.now().toISOString();
  const event: ReceivedEvent = {
    id: uuid7(),
    occurred: now,
    received: now,
    event: `prefect.variable.${action}`,
    resource: {
      'prefect.resource.id': `prefect.variable.${variable.id}`,
      'prefect.resource.name': variable.name,
    },
    related: [],
    payload: { name: variable.name, value: variable.value, tags: variable.tags },
    follows: null,
  };
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}
