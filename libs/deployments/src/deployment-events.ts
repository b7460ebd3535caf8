import type { DeploymentRecord } from '@orrery/persistence';

export { deploymentEvent } from '@orrery/events';

/** Wire fields compared to tell what an update changed. */
const TRACKED: ReadonlyArray<[string, (d: DeploymentRecord) => unknown]> = [
  ['version', (d) => d.version],
  ['description', (d) => d.description],
  ['paused', (d) => d.paused],
  ['parameters', (d) => d.parameters],
  ['parameter_openapi_schema', (d) => d.parameterOpenapiSchema],
  ['enforce_parameter_schema', (d) => d.enforceParameterSchema],
  ['tags', (d) => d.tags],
  ['labels', (d) => d.labels],
  ['pull_steps', (d) => d.pullSteps],
  ['work_queue_name', (d) => d.workQueueName],
  ['work_queue_id', (d) => d.workQueueId],
  ['work_pool_name', (d) => d.workPoolName],
  ['storage_document_id', (d) => d.storageDocumentId],
  ['infrastructure_document_id', (d) => d.infrastructureDocumentId],
  ['path', (d) => d.path],
  ['entrypoint', (d) => d.entrypoint],
  ['job_variables', (d) => d.jobVariables],
  ['concurrency_options', (d) => d.concurrencyOptions],
  ['global_concurrency_limit_id', (d) => d.concurrencyLimitId],
];

/** The fields whose values differ between two versions of a deployment. */
export function deploymentChanges(
  before: DeploymentRecord,
  after: DeploymentRecord,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, read] of TRACKED) {
    const from = read(before);
    const to = read(after);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}
