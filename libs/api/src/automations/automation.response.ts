import { Instant, uuid7 } from '@orrery/domain';
import { EVENTS_TOPIC, type ReceivedEvent } from '@orrery/events';
import type { AutomationRecord, OutboxMessage } from '@orrery/persistence';

/** `Automation` on the wire. */
export function automationResponse(a: AutomationRecord): Record<string, unknown> {
  return {
    id: a.id,
    created: a.created.toISOString(),
    updated: a.updated.toISOString(),
    name: a.name,
    description: a.description,
    enabled: a.enabled,
    tags: a.tags,
    trigger: a.trigger,
    actions: a.actions,
    actions_on_trigger: a.actionsOnTrigger,
    actions_on_resolve: a.actionsOnResolve,
  };
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
    payload: automationResponse(a),
    follows: null,
  };
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}
