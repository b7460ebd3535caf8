import { automationToJson, type AutomationRecord } from '@orrery/automations';
import { Instant, uuid7 } from '@orrery/domain';
import { EVENTS_TOPIC, type ReceivedEvent } from '@orrery/events';
import type { OutboxMessage } from '@orrery/persistence';
import type { WireOf } from '../openapi/wire-schema';
import type { AUTOMATION } from './automation.schema';

/** `Automation` on the wire. */
export function automationResponse(automation: AutomationRecord): WireOf<typeof AUTOMATION> {
  return automationToJson(automation);
}

/**
 * `prefect.automation.created|updated|deleted` (upstream `lifecycle._automation_event`): resource
 * `prefect.automation.<id>` named after it, the automation as payload.
 */
export function automationEvent(
  action: 'created' | 'updated' | 'deleted',
  a: AutomationRecord,
): OutboxMessage {
  const now = Instant.now().toISOString();
  const event: ReceivedEvent = {
    id: uuid7(),
    occurred: now,
    received: now,
    event: `prefect.automation.${action}`,
    resource: { 'prefect.resource.id': `prefect.automation.${a.id}`, 'prefect.resource.name': a.name },
    related: [],
    payload: { ...automationToJson(a) },
    follows: null,
  };
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}
