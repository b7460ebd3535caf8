import { namedResource, serverEvent } from '@orrery/events';
import type { OutboxMessage, VariableRecord } from '@orrery/persistence';

/**
 * `prefect.variable.created|updated|deleted` (spec-services-events-ha §3.2, upstream
 * `lifecycle.variable_*_event`): resource `prefect.variable.<id>` named after the variable, payload
 * `{name, value, tags}`.
 */
export function variableEvent(
  action: 'created' | 'updated' | 'deleted',
  variable: VariableRecord,
): OutboxMessage {
  return serverEvent(
    `prefect.variable.${action}`,
    namedResource('variable', variable.id, variable.name),
    [],
    { name: variable.name, value: variable.value, tags: variable.tags },
  );
}
