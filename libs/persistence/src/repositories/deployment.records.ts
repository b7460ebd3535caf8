import { Instant, type Schedule } from '@orrery/domain';
import type { DeploymentStatus } from '../entities';
import type { Labels } from './flow.repository';

/** A deployment row, with the name of its queue's pool. */
export interface DeploymentRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly version: string | null;
  readonly description: string | null;
  readonly flowId: string;
  readonly flowName: string;
  readonly paused: boolean;
  readonly concurrencyLimitId: string | null;
  readonly concurrencyOptions: Record<string, unknown> | null;
  readonly jobVariables: Record<string, unknown>;
  readonly parameters: Record<string, unknown>;
  readonly tags: string[];
  readonly labels: Labels | null;
  readonly workQueueName: string | null;
  readonly workQueueId: string | null;
  readonly workPoolId: string | null;
  readonly workPoolName: string | null;
  readonly lastPolled: Instant | null;
  readonly parameterOpenapiSchema: Record<string, unknown> | null;
  readonly path: string | null;
  readonly pullSteps: Record<string, unknown>[] | null;
  readonly entrypoint: string | null;
  readonly storageDocumentId: string | null;
  readonly infrastructureDocumentId: string | null;
  readonly createdBy: Record<string, unknown> | null;
  readonly updatedBy: Record<string, unknown> | null;
  readonly status: DeploymentStatus;
  readonly enforceParameterSchema: boolean;
}

export interface DeploymentScheduleRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly deploymentId: string;
  readonly schedule: Schedule;
  readonly active: boolean;
  readonly maxScheduledRuns: number | null;
  readonly parameters: Record<string, unknown>;
  readonly slug: string | null;
}

/** A deployment's `global_concurrency_limit`, with `active_slots` decayed to now. */
export interface DeploymentConcurrencyLimitRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly active: boolean;
  readonly name: string;
  readonly limit: number;
  readonly activeSlots: number;
  readonly slotDecayPerSecond: number;
}

/** A schedule to write (validated). */
export interface NewDeploymentSchedule {
  readonly schedule: Schedule;
  readonly active: boolean;
  readonly maxScheduledRuns: number | null;
  readonly parameters: Record<string, unknown>;
  readonly slug: string | null;
}

/**
 * Writable deployment columns, keyed by column name; a key that is present (even as null) is
 * written, an absent key is left alone — Prefect's "only provided keys overwrite" upsert rule.
 */
export interface DeploymentColumns {
  version?: string | null;
  description?: string | null;
  paused?: boolean;
  parameters?: Record<string, unknown>;
  parameter_openapi_schema?: Record<string, unknown> | null;
  enforce_parameter_schema?: boolean;
  tags?: string[];
  labels?: Labels | null;
  pull_steps?: Record<string, unknown>[] | null;
  work_queue_name?: string | null;
  work_queue_id?: string | null;
  storage_document_id?: string | null;
  infrastructure_document_id?: string | null;
  path?: string | null;
  entrypoint?: string | null;
  infra_overrides?: Record<string, unknown>;
  concurrency_options?: Record<string, unknown> | null;
  concurrency_limit_id?: string | null;
  created_by?: Record<string, unknown> | null;
  updated_by?: Record<string, unknown> | null;
}

export const JSON_COLUMNS: ReadonlySet<keyof DeploymentColumns> = new Set([
  'parameters',
  'parameter_openapi_schema',
  'tags',
  'labels',
  'pull_steps',
  'infra_overrides',
  'concurrency_options',
  'created_by',
  'updated_by',
]);

export interface DeploymentRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  version: string | null;
  description: string | null;
  flow_id: string;
  flow_name: string;
  paused: boolean;
  concurrency_limit_id: string | null;
  concurrency_options: Record<string, unknown> | null;
  infra_overrides: Record<string, unknown>;
  parameters: Record<string, unknown>;
  tags: string[];
  labels: Labels | null;
  work_queue_name: string | null;
  work_queue_id: string | null;
  work_pool_id: string | null;
  work_pool_name: string | null;
  last_polled: string | null;
  parameter_openapi_schema: Record<string, unknown> | null;
  path: string | null;
  pull_steps: Record<string, unknown>[] | null;
  entrypoint: string | null;
  storage_document_id: string | null;
  infrastructure_document_id: string | null;
  created_by: Record<string, unknown> | null;
  updated_by: Record<string, unknown> | null;
  status: DeploymentStatus;
  enforce_parameter_schema: boolean;
}

export function toDeploymentRecord(row: DeploymentRow): DeploymentRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    version: row.version,
    description: row.description,
    flowId: row.flow_id,
    flowName: row.flow_name,
    paused: row.paused,
    concurrencyLimitId: row.concurrency_limit_id,
    concurrencyOptions: row.concurrency_options,
    jobVariables: row.infra_overrides,
    parameters: row.parameters,
    tags: row.tags,
    labels: row.labels,
    workQueueName: row.work_queue_name,
    workQueueId: row.work_queue_id,
    workPoolId: row.work_pool_id,
    workPoolName: row.work_pool_name,
    lastPolled: row.last_polled === null ? null : Instant.parse(row.last_polled),
    parameterOpenapiSchema: row.parameter_openapi_schema,
    path: row.path,
    pullSteps: row.pull_steps,
    entrypoint: row.entrypoint,
    storageDocumentId: row.storage_document_id,
    infrastructureDocumentId: row.infrastructure_document_id,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    status: row.status,
    enforceParameterSchema: row.enforce_parameter_schema,
  };
}

export interface DeploymentScheduleRow {
  id: string;
  created: string;
  updated: string;
  deployment_id: string;
  schedule: Schedule;
  active: boolean;
  max_scheduled_runs: number | null;
  parameters: Record<string, unknown>;
  slug: string | null;
}

export function toDeploymentScheduleRecord(row: DeploymentScheduleRow): DeploymentScheduleRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    deploymentId: row.deployment_id,
    schedule: row.schedule,
    active: row.active,
    maxScheduledRuns: row.max_scheduled_runs,
    parameters: row.parameters,
    slug: row.slug,
  };
}
