import { namedResource, serverEvent } from '@orrery/events';
import type { CollectionChange, OutboxMessage } from '@orrery/persistence';

/**
 * `prefect.artifact-collection.created|updated|deleted` (spec-services-events-ha §3.2, upstream
 * `lifecycle.artifact_collection_*_event`): resource `prefect.artifact-collection.<id>` named by
 * the key; related: the latest artifact (role `latest`) and its flow run and task run; payload
 * `{key, type, data, description}`.
 */
export function artifactCollectionEvent({ action, collection }: CollectionChange): OutboxMessage {
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
  return serverEvent(
    `prefect.artifact-collection.${action}`,
    namedResource('artifact-collection', collection.id, collection.key),
    related,
    {
      key: collection.key,
      type: collection.type,
      data: collection.data,
      description: collection.description,
    },
  );
}
