import type {
  DeploymentCreateInput,
  DeploymentFlowRunInput,
  DeploymentUpdateInput,
} from '@orrery/deployments';
import type { Labels } from '@orrery/persistence';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { AbsentAllowed, IsLabels, IsInt32 } from '../common/validators';
import { NAME_PATTERN } from '../flows/flow.dto';
import { IsLaxBool, IsLaxUuid } from '../common/lax-scalars';
import { GLOBAL_CONCURRENCY_LIMIT } from '../concurrency-limits/concurrency-limit.dto';
import { CREATED_BY } from '../flow-runs/flow-run.serializer';
import { wire, wireModel, wirePage } from '../openapi/wire-schema';
import { documentReader, type JsonSchema } from '../openapi/validator-schema';
import { FLOW_RUN_POLICY_INPUT } from '../flow-runs/flow-run.dto';

/** `ConcurrencyOptions`. */
export class ConcurrencyOptionsDto {
  @IsIn(['ENQUEUE', 'CANCEL_NEW'])
  collision_strategy!: 'ENQUEUE' | 'CANCEL_NEW';

  @IsOptional()
  @IsInt32()
  @Min(60)
  @Max(86400)
  grace_period_seconds?: number | null;
}

/** `VersionInfo`: accepted and not stored (the OSS server keeps no deployment versions). */
export class VersionInfoDto {
  @IsString()
  type!: string;

  @IsString()
  version!: string;
}

/** Fields `DeploymentCreate` and `DeploymentUpdate` share. Schedules are checked by schedule.parser. */
class DeploymentFieldsDto {
  @IsOptional()
  @IsString()
  version?: string | null;

  @IsOptional()
  @IsString()
  description?: string | null;

  @AbsentAllowed()
  @IsLaxBool()
  paused?: boolean;

  @AbsentAllowed()
  @IsArray()
  @IsObject({ each: true })
  schedules?: Record<string, unknown>[];

  @IsOptional()
  @IsInt32()
  @Min(1)
  concurrency_limit?: number | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => ConcurrencyOptionsDto)
  concurrency_options?: ConcurrencyOptionsDto | null;

  @IsOptional()
  @IsLaxUuid()
  global_concurrency_limit_id?: string | null;

  @IsOptional()
  @IsObject()
  parameter_openapi_schema?: Record<string, unknown> | null;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  pull_steps?: Record<string, unknown>[] | null;

  @IsOptional()
  @IsString()
  work_queue_name?: string | null;

  @IsOptional()
  @IsString()
  work_pool_name?: string | null;

  @IsOptional()
  @IsLaxUuid()
  storage_document_id?: string | null;

  @IsOptional()
  @IsLaxUuid()
  infrastructure_document_id?: string | null;

  @IsOptional()
  @IsString()
  path?: string | null;

  @IsOptional()
  @IsString()
  entrypoint?: string | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => VersionInfoDto)
  version_info?: VersionInfoDto | null;
}

/** `DeploymentCreate`: the body of `POST /deployments/`. */
export class DeploymentCreateDto extends DeploymentFieldsDto implements DeploymentCreateInput {
  @IsString()
  @Matches(NAME_PATTERN)
  name!: string;

  @IsLaxUuid()
  flow_id!: string;

  @AbsentAllowed()
  @IsLaxBool()
  enforce_parameter_schema?: boolean;

  @AbsentAllowed()
  @IsObject()
  parameters?: Record<string, unknown>;

  @IsOptional()
  @IsLabels()
  labels?: Labels | null;

  @AbsentAllowed()
  @IsObject()
  job_variables?: Record<string, unknown>;
}

/** `DeploymentUpdate`: the body of `PATCH /deployments/{id}`; only the keys present are written. */
export class DeploymentUpdateDto extends DeploymentFieldsDto implements DeploymentUpdateInput {
  @IsOptional()
  @IsLaxBool()
  enforce_parameter_schema?: boolean | null;

  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown> | null;

  @IsOptional()
  @IsObject()
  job_variables?: Record<string, unknown> | null;
}

/** `DeploymentFlowRunCreate`: the body of `POST /deployments/{id}/create_flow_run`. */
export class DeploymentFlowRunCreateDto implements DeploymentFlowRunInput {
  @Allow()
  state?: unknown;

  @IsOptional()
  @IsString()
  name?: string | null;

  @AbsentAllowed()
  @IsObject()
  parameters?: Record<string, unknown>;

  @IsOptional()
  @IsLaxBool()
  enforce_parameter_schema?: boolean | null;

  @AbsentAllowed()
  @IsObject()
  context?: Record<string, unknown>;

  @IsOptional()
  @IsLaxUuid()
  infrastructure_document_id?: string | null;

  @AbsentAllowed()
  @IsObject()
  empirical_policy?: Record<string, unknown>;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsString()
  idempotency_key?: string | null;

  @IsOptional()
  @IsLabels()
  labels?: Labels | null;

  @IsOptional()
  @IsLaxUuid()
  parent_task_run_id?: string | null;

  @IsOptional()
  @IsString()
  work_queue_name?: string | null;

  @IsOptional()
  @IsObject()
  job_variables?: Record<string, unknown> | null;
}

/** A stored schedule as scheduleToWire writes it: one of three shapes. */
export const SCHEDULE = wire.oneOf(
  wireModel('IntervalSchedule', {
    interval: wire.number(),
    anchor_date: wire.dateTime(),
    timezone: wire.nullable(wire.string()),
  }),
  wireModel('CronSchedule', {
    cron: wire.string(),
    timezone: wire.nullable(wire.string()),
    day_or: wire.boolean(),
  }),
  wireModel('RRuleSchedule', { rrule: wire.string(), timezone: wire.nullable(wire.string()) }),
);

export const DEPLOYMENT_SCHEDULE = wireModel('DeploymentSchedule', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  deployment_id: wire.uuid(),
  schedule: SCHEDULE,
  active: wire.boolean(),
  max_scheduled_runs: wire.nullable(wire.integer()),
  parameters: wire.dict(),
  slug: wire.nullable(wire.string()),
});

/** `concurrency_options` as ConcurrencyOptionsDto accepted it: the grace period only when sent. */
export const CONCURRENCY_OPTIONS = wireModel(
  'ConcurrencyOptions',
  {
    collision_strategy: wire.enum(['ENQUEUE', 'CANCEL_NEW'] as const),
    grace_period_seconds: wire.nullable(wire.integer()),
  },
  { optional: ['grace_period_seconds'] },
);

export const DEPLOYMENT = wireModel('DeploymentResponse', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  version: wire.nullable(wire.string()),
  description: wire.nullable(wire.string()),
  flow_id: wire.uuid(),
  paused: wire.boolean(),
  schedules: wire.array(DEPLOYMENT_SCHEDULE),
  // Deprecated upstream and always null here: the number lives in global_concurrency_limit.
  concurrency_limit: wire.nullable(wire.integer()),
  global_concurrency_limit: wire.nullable(GLOBAL_CONCURRENCY_LIMIT),
  concurrency_options: wire.nullable(CONCURRENCY_OPTIONS),
  job_variables: wire.dict(),
  parameters: wire.dict(),
  tags: wire.array(wire.string()),
  labels: wire.labels(),
  work_queue_name: wire.nullable(wire.string()),
  work_queue_id: wire.nullable(wire.uuid()),
  last_polled: wire.nullable(wire.dateTime()),
  parameter_openapi_schema: wire.nullable(wire.dict()),
  path: wire.nullable(wire.string()),
  pull_steps: wire.nullable(wire.array(wire.dict())),
  entrypoint: wire.nullable(wire.string()),
  storage_document_id: wire.nullable(wire.uuid()),
  infrastructure_document_id: wire.nullable(wire.uuid()),
  // The automation that created or last updated it, when one did.
  created_by: wire.nullable(CREATED_BY),
  updated_by: wire.nullable(wireModel('UpdatedBy', CREATED_BY.properties)),
  work_pool_name: wire.nullable(wire.string()),
  status: wire.enum(['READY', 'NOT_READY'] as const),
  enforce_parameter_schema: wire.boolean(),
});
export const DEPLOYMENT_PAGE = wirePage('DeploymentPaginationResponse', DEPLOYMENT);
export const DEPLOYMENT_BULK_DELETE = wireModel('DeploymentBulkDeleteResponse', {
  deleted: wire.array(wire.uuid()),
});

const NULLABLE_STRING: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'null' }] };

/**
 * A schedule as parseSchedule reads it: the shape is chosen by its key (`interval`, `cron` or
 * `rrule`), other keys are refused; an interval is seconds (> 0) or an ISO 8601 duration.
 */
const SCHEDULE_INPUT: JsonSchema = {
  anyOf: [
    {
      type: 'object',
      properties: {
        interval: { type: 'number', format: 'time-delta', description: 'seconds, > 0' },
        anchor_date: { type: 'string', format: 'date-time' },
        timezone: NULLABLE_STRING,
      },
      required: ['interval'],
    },
    {
      type: 'object',
      properties: { cron: { type: 'string' }, timezone: NULLABLE_STRING, day_or: { type: 'boolean' } },
      required: ['cron'],
    },
    {
      type: 'object',
      properties: { rrule: { type: 'string' }, timezone: NULLABLE_STRING },
      required: ['rrule'],
    },
  ],
};

/**
 * `DeploymentScheduleCreate` (`create`: `schedule` required) or `DeploymentScheduleUpdate`, as
 * parseScheduleInputs reads them; `max_scheduled_runs` is bounded by the server's setting.
 */
export function scheduleInputSchema(kind: 'create' | 'update'): JsonSchema {
  return {
    type: 'object',
    properties: {
      schedule: kind === 'create' ? SCHEDULE_INPUT : { anyOf: [SCHEDULE_INPUT, { type: 'null' }] },
      active:
        kind === 'create'
          ? { type: 'boolean', default: true }
          : { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
      max_scheduled_runs: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
      parameters: { type: 'object' },
      slug: NULLABLE_STRING,
      replaces: NULLABLE_STRING,
    },
    ...(kind === 'create' ? { required: ['schedule'] } : {}),
  };
}

// The schedules of a deployment body (parseScheduleInputs: on create each needs its schedule) and
// a deployment run's empirical_policy (flowRunPolicyFromWire).
documentReader(DeploymentCreateDto, 'schedules', { type: 'array', items: scheduleInputSchema('create') });
documentReader(DeploymentUpdateDto, 'schedules', { type: 'array', items: scheduleInputSchema('update') });
documentReader(DeploymentFlowRunCreateDto, 'empirical_policy', FLOW_RUN_POLICY_INPUT);
