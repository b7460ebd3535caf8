import type { TriggeringEvent } from '@orrery/automations';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The uuid of a resource id `<kind>.<uuid>` of the expected kind, else null. */
export function idFromResourceId(resourceId: string, kind: string): string | null {
  const dot = resourceId.lastIndexOf('.');
  if (dot < 0 || resourceId.slice(0, dot) !== kind) return null;
  const id = resourceId.slice(dot + 1);
  return UUID.test(id) ? id.toLowerCase() : null;
}

/** The first resource of `kind` (`prefect.flow-run`, …): the primary one, then the related ones. */
export function firstResourceOfKind(
  event: TriggeringEvent,
  kind: string,
): Readonly<Record<string, string>> | null {
  for (const resource of [event.resource, ...event.related]) {
    const id = resource['prefect.resource.id'] ?? '';
    if (id.slice(0, id.lastIndexOf('.')) === kind) return resource;
  }
  return null;
}

/** The uuid of the first involved resource of `kind`, when it has one. */
export function idOfFirstResourceOfKind(event: TriggeringEvent, kind: string): string | null {
  const resource = firstResourceOfKind(event, kind);
  return resource === null ? null : idFromResourceId(resource['prefect.resource.id'] ?? '', kind);
}

/**
 * Flow-run inference (§5.7): the triggering labels' `prefect.resource.id` when it is a flow run
 * (proactive `for_each` triggers), else the first flow run of the triggering event, else null.
 */
export function inferFlowRunId(
  labels: Readonly<Record<string, string>>,
  event: TriggeringEvent | null,
): string | null {
  const labelled = labels['prefect.resource.id'];
  if (labelled !== undefined) {
    const id = idFromResourceId(labelled, 'prefect.flow-run');
    if (id !== null) return id;
  }
  return event === null ? null : idOfFirstResourceOfKind(event, 'prefect.flow-run');
}
