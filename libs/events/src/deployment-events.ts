import type { DeploymentRecord, OutboxMessage } from '@orrery/persistence';
import { namedResource, type ResourceLabels, serverEvent } from './server-event';

/**
 * `prefect.deployment.created|updated|deleted|ready|not-ready` (spec-services-events-ha §3.2): resource
 * `prefect.deployment.<id>` named after the deployment, related to its flow, work queue, work pool,
 * block documents and concurrency limit; `updated` carries `updated_fields` and
 * `updates{field:{from,to}}`. A fresh UUIDv7 id; the server stamps `received` itself.
 */
export function deploymentEvent(
  action: 'created' | 'updated' | 'deleted' | 'ready' | 'not-ready',
  deployment: DeploymentRecord,
  updates?: Record<string, { from: unknown; to: unknown }>,
): OutboxMessage {
  const related: ResourceLabels[] = [
    {
      'prefect.resource.id': `prefect.flow.${deployment.flowId}`,
      'prefect.resource.role': 'flow',
      'prefect.resource.name': deployment.flowName,
    },
  ];
  if (deployment.workQueueId !== null) {
    related.push({
      'prefect.resource.id': `prefect.work-queue.${deployment.workQueueId}`,
      'prefect.resource.role': 'work-queue',
      'prefect.resource.name': deployment.workQueueName ?? '',
    });
  }
  if (deployment.workPoolId !== null) {
    related.push({
      'prefect.resource.id': `prefect.work-pool.${deployment.workPoolId}`,
      'prefect.resource.role': 'work-pool',
      'prefect.resource.name': deployment.workPoolName ?? '',
    });
  }
  for (const [id, role] of [
    [deployment.storageDocumentId, 'storage-document'],
    [deployment.infrastructureDocumentId, 'infrastructure-document'],
  ] as const) {
    if (id !== null)
      related.push({ 'prefect.resource.id': `prefect.block-document.${id}`, 'prefect.resource.role': role });
  }
  if (deployment.concurrencyLimitId !== null) {
    related.push({
      'prefect.resource.id': `prefect.concurrency-limit.${deployment.concurrencyLimitId}`,
      'prefect.resource.role': 'concurrency-limit',
    });
  }
  return serverEvent(
    `prefect.deployment.${action}`,
    namedResource('deployment', deployment.id, deployment.name),
    related,
    action === 'updated' && updates !== undefined ? { updated_fields: Object.keys(updates), updates } : {},
  );
}
