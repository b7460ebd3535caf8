import { scheduleToWire } from '@orrery/domain';
import type {
  DeploymentConcurrencyLimitRecord,
  DeploymentRecord,
  DeploymentScheduleRecord,
} from '@orrery/persistence';

/** `DeploymentSchedule` on the wire. */
export function scheduleResponse(schedule: DeploymentScheduleRecord) {
  return {
    id: schedule.id,
    created: schedule.created,
    updated: schedule.updated,
    deployment_id: schedule.deploymentId,
    schedule: scheduleToWire(schedule.schedule),
    active: schedule.active,
    max_scheduled_runs: schedule.maxScheduledRuns,
    parameters: schedule.parameters,
    slug: schedule.slug,
  };
}

/** `GlobalConcurrencyLimitResponse` of a deployment. */
function limitResponse(limit: DeploymentConcurrencyLimitRecord) {
  return {
    id: limit.id,
    created: limit.created,
    updated: limit.updated,
    active: limit.active,
    name: limit.name,
    limit: limit.limit,
    active_slots: limit.activeSlots,
    slot_decay_per_second: limit.slotDecayPerSecond,
  };
}

/**
 * `DeploymentResponse`: the stored deployment, its schedules, its global concurrency limit and its
 * queue's pool. `concurrency_limit` is always null (deprecated: the number lives in the limit).
 */
export function deploymentResponse(
  deployment: DeploymentRecord,
  schedules: readonly DeploymentScheduleRecord[],
  limit: DeploymentConcurrencyLimitRecord | null,
) {
  return {
    id: deployment.id,
    created: deployment.created,
    updated: deployment.updated,
    name: deployment.name,
    version: deployment.version,
    description: deployment.description,
    flow_id: deployment.flowId,
    paused: deployment.paused,
    schedules: schedules.map(scheduleResponse),
    concurrency_limit: null,
    global_concurrency_limit: limit === null ? null : limitResponse(limit),
    concurrency_options: deployment.concurrencyOptions,
    job_variables: deployment.jobVariables,
    parameters: deployment.parameters,
    tags: deployment.tags,
    labels: deployment.labels ?? {},
    work_queue_name: deployment.workQueueName,
    work_queue_id: deployment.workQueueId,
    last_polled: deployment.lastPolled,
    parameter_openapi_schema: deployment.parameterOpenapiSchema,
    path: deployment.path,
    pull_steps: deployment.pullSteps,
    entrypoint: deployment.entrypoint,
    storage_document_id: deployment.storageDocumentId,
    infrastructure_document_id: deployment.infrastructureDocumentId,
    created_by: deployment.createdBy,
    updated_by: deployment.updatedBy,
    work_pool_name: deployment.workPoolName,
    status: deployment.status,
    enforce_parameter_schema: deployment.enforceParameterSchema,
  };
}

export type DeploymentScheduleWire = ReturnType<typeof scheduleResponse>;
export type DeploymentWire = ReturnType<typeof deploymentResponse>;
