import { automationToJson, type AutomationRecord, type TriggeredAction } from '@orrery/automations';
import { Instant, uuid7 } from '@orrery/domain';
import { EVENTS_TOPIC, type ReceivedEvent } from '@orrery/events';
import type { OutboxMessage } from '@orrery/persistence';

type Resource = Record<string, string>;

/** Within this, the `.triggered` event follows the triggering event (upstream's "tight timing"). */
const TIGHT_TIMING_MS = 5 * 60 * 1000;

function message(event: ReceivedEvent): OutboxMessage {
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}

/**
 * `prefect.automation.action.triggered` and then `.executed` or `.failed` (upstream `Action.succeed`
 * / `fail`): resource the automation (name, trigger type, posture of an event trigger), related the
 * action's resulting resources, the automation-triggered event and the triggering event; payload
 * `{action_index, action_type, invocation}` plus the result details (and `reason` on failure).
 */
export function actionEvents(
  action: TriggeredAction,
  outcome: { readonly related: readonly Resource[]; readonly details: Readonly<Record<string, unknown>> },
  failure: string | null,
): OutboxMessage[] {
  const automation = action.automation;
  const resource: Resource = {
    'prefect.resource.id': `prefect.automation.${automation.id}`,
    'prefect.resource.name': automation.name,
    'prefect.trigger-type': automation.trigger.type,
  };
  if (automation.trigger.type === 'event') resource['prefect.posture'] = automation.trigger.posture;
  const related: Resource[] = [...outcome.related];
  if (action.automation_triggered_event_id !== null) {
    related.push({
      'prefect.resource.id': `prefect.event.${action.automation_triggered_event_id}`,
      'prefect.resource.role': 'automation-triggered-event',
    });
  }
  const triggering = action.triggering_event;
  if (triggering !== null) {
    related.push({
      'prefect.resource.id': `prefect.event.${triggering.id}`,
      'prefect.resource.role': 'triggering-event',
    });
  }
  const tight =
    triggering !== null &&
    Math.abs(Date.parse(action.triggered) - Date.parse(triggering.occurred)) < TIGHT_TIMING_MS;
  const details = {
    action_index: action.action_index,
    action_type: action.action.type,
    invocation: action.id,
  };
  const now = Instant.now().toISOString();
  const triggered: ReceivedEvent = {
    id: uuid7(),
    occurred: Instant.parse(action.triggered).toISOString(),
    received: now,
    event: 'prefect.automation.action.triggered',
    resource,
    related,
    payload: details,
    follows: tight ? triggering.id : null,
  };
  const result: ReceivedEvent = {
    id: uuid7(),
    occurred: now,
    received: now,
    event: failure === null ? 'prefect.automation.action.executed' : 'prefect.automation.action.failed',
    resource,
    related,
    payload:
      failure === null
        ? { ...details, ...outcome.details }
        : { ...details, reason: failure, ...outcome.details },
    follows: triggered.id,
  };
  return [message(triggered), message(result)];
}

/** `prefect.automation.updated` for pause/resume-automation (what `PATCH /automations/{id}` emits). */
export function automationUpdatedEvent(a: AutomationRecord): OutboxMessage {
  const now = Instant.now().toISOString();
  return message({
    id: uuid7(),
    occurred: now,
    received: now,
    event: 'prefect.automation.updated',
    resource: { 'prefect.resource.id': `prefect.automation.${a.id}`, 'prefect.resource.name': a.name },
    related: [],
    payload: { ...automationToJson(a) },
    follows: null,
  });
}
