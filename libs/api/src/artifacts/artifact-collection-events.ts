import { Instant, uuid7 } from '@orrery/domain';
import { EVENTS_TOPIC, type ReceivedEvent } from '@orrery/events';
import type { CollectionChange, OutboxMessage } from '@orrery/persistence';

/**
 * `prefect.artifact-collection.created|updated|deleted` (spec-services-events-ha §3.2, upstream
 * `lifecycle.artifact_collection_*_event`): resource `prefect.artifact-collection.<id>` named by
 * the key; related: the latest artifact (role `latest`) and its flow run and task run; payload
 * `{key, type, data, description}`.
 */
export function artifactCollectionEvent({ action, collection }: CollectionChange): OutboxMessage {
  const now = Instant.now().toISOString();
  const related: Array<Record<string, string>> = [
    { 'prefect.resource.id': `prefect.artifact.${collection.latestId}`, 'prefect.resource.role': 'latest' },
  ];
  if (collection.flowRunId !== null) {
    related.push({
      'prefect.resource.id': `prefect.flow-run.${collection.flowRunId}`,
      'prefect.resource.role': 'flow-run',
    });
  }
  if (collection.taskRunId !== null) {
    related.push({
      'prefect.resource.id': `prefect.task-run.${collection.taskRunId}`,
      'prefect.resource.role': 'task-run',
    });
  }
  const event: ReceivedEvent = {
    id: uuid7(),
    occurred: now,
    received: now,
    event: `prefect.artifact-collection.${action}`,
    resource: {
      'prefect.resource.id': `prefect.artifact-collection.${collection.id}`,
      'prefect.resource.name': collection.key,
    },
    related,
    payload: {
      key: collection.key,
      type: collection.type,
      data: collection.data,
      description: collection.description,
    },
    follows: null,
  };
  return { topic: EVENTS_TOPIC, data: event, attributes: { id: event.id, event: event.event } };
}
