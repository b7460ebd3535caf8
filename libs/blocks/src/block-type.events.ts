import { Instant, uuid7 } from '@orrery/domain';
import { EVENTS_TOPIC, type ReceivedEvent } from '@orrery/events';
import type { BlockTypeRecord, OutboxMessage } from '@orrery/persistence';

/**
 * `prefect.block-type.created|updated|deleted` (upstream `lifecycle.block_type_*_event`): resource
 * `prefect.block-type.<id>` named after the type; payload its presentation fields and protection.
 */
export function blockTypeEvent(
  action: 'created' | 'updated' | 'deleted',
  type: BlockTypeRecord,
): OutboxMessage {
  const now = Instant.now().toISOString();
  const event: ReceivedEvent = {
    id: uuid7(),
    occurred: now,
    received: now,
    event: `prefect.block-type.${action}`,
    resource: { 'prefect.resource.id': `prefect.block-type.${type.id}`, 'prefect.resource.name': type.name },
    related: [],
    payload: {
      name: type.name,
      slug: type.slug,
      logo_url: type.logo_url,
      documentation_url: type.documentation_url,
      description: type.description,
      code_example: type.code_example,
      is_protected: type.is_protected,
    },
    follows: null,
  };
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}
