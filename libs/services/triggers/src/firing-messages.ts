import {
  ACTIONS_TOPIC,
  type AutomationAction,
  type AutomationRecord,
  automationToJson,
  type Firing,
  stableUuid7,
  type TriggeredAction,
  triggeredActionId,
  type TriggeringEvent,
} from '@orrery/automations';
import type { OutboxMessage } from '@orrery/persistence';
import { uuid7Millis } from './evaluation';

const EVENTS_TOPIC = 'events';

/** `prefect.automation.triggered` of a firing (upstream `create_automation_state_change_event`). */
export function triggeredEvent(
  automation: AutomationRecord,
  firing: Firing,
  received: string,
): TriggeringEvent {
  const resource: Record<string, string> = {
    'prefect.resource.id': `prefect.automation.${automation.id}`,
    'prefect.resource.name': automation.name,
  };
  if (firing.trigger.type === 'event') resource['prefect.posture'] = firing.trigger.posture;
  const cause = firing.triggering_event;
  return {
    id: stableUuid7(`${firing.id}|triggered`, uuid7Millis(firing.id)),
    occurred: firing.triggered,
    received,
    event: 'prefect.automation.triggered',
    resource,
    related:
      cause === null
        ? []
        : [
            {
              'prefect.resource.id': `prefect.event.${cause.id}`,
              'prefect.resource.role': 'triggering-event',
            },
          ],
    payload: { triggering_labels: firing.triggering_labels, triggering_event: cause },
    follows: null,
  };
}

/**
 * What a firing says (§5.6 `act`): its `prefect.automation.triggered` event on `events`, then one
 * TriggeredAction per action on `actions` — `actions` with the firing's triggering event, then
 * `actions_on_trigger` with the triggered event — numbered by `action_index`. Ids are derived from
 * the firing, so a re-evaluated firing says exactly the same things (dropped by id downstream).
 */
export function firingMessages(
  automation: AutomationRecord,
  firing: Firing,
  received: string,
): OutboxMessage[] {
  const triggered = triggeredEvent(automation, firing, received);
  const sources: [TriggeringEvent | null, AutomationAction][] = [
    ...automation.actions.map((a): [TriggeringEvent | null, AutomationAction] => [
      firing.triggering_event,
      a,
    ]),
    ...automation.actionsOnTrigger.map((a): [TriggeringEvent | null, AutomationAction] => [triggered, a]),
  ];
  const json = automationToJson(automation);
  const at = new Date(uuid7Millis(firing.id)).toISOString();
  const actions = sources.map(([event, action], index): TriggeredAction => ({
    id: triggeredActionId(automation.id, firing.id, index, at),
    automation: json,
    firing,
    triggered: firing.triggered,
    triggering_labels: firing.triggering_labels,
    triggering_event: event,
    action,
    action_index: index,
    automation_triggered_event_id: triggered.id,
  }));
  return [
    { topic: EVENTS_TOPIC, data: triggered, attributes: { id: triggered.id, event: triggered.event } },
    ...actions.map((a) => ({ topic: ACTIONS_TOPIC, data: a, attributes: { id: a.id } })),
  ];
}
