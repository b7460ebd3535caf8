import type { Labels } from '@orrery/persistence';
import { Allow, IsArray, IsObject, IsOptional, IsString } from 'class-validator';
import { AbsentAllowed, IsLabels } from '../common/validators';
import { IsLaxUuid } from '../common/lax-scalars';
import { documentReader, type JsonSchema } from '../openapi/validator-schema';

/** `FlowRunCreate`: the body of `POST /flow_runs/`. `state` is read by stateCreateFromBody. */
export class FlowRunCreateDto {
  @Allow()
  state?: unknown;

  // The SDK sends `"name": null` for "pick a name".
  @IsOptional()
  @IsString()
  name?: string | null;

  @IsLaxUuid()
  flow_id!: string;

  @IsOptional()
  @IsString()
  flow_version?: string | null;

  @AbsentAllowed()
  @IsObject()
  parameters?: Record<string, unknown>;

  @AbsentAllowed()
  @IsObject()
  context?: Record<string, unknown>;

  @IsOptional()
  @IsLaxUuid()
  parent_task_run_id?: string | null;

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
  @IsLabels()
  labels?: Labels | null;

  @IsOptional()
  @IsString()
  idempotency_key?: string | null;

  @IsOptional()
  @IsString()
  work_pool_name?: string | null;

  @IsOptional()
  @IsString()
  work_queue_name?: string | null;

  @IsOptional()
  @IsObject()
  job_variables?: Record<string, unknown> | null;

  @IsOptional()
  @IsLaxUuid()
  deployment_id?: string | null;
}

/** `FlowRunUpdate`: the body of `PATCH /flow_runs/{id}`; only the keys present are written. */
export class FlowRunUpdateDto {
  @IsOptional()
  @IsString()
  name?: string | null;

  @IsOptional()
  @IsString()
  flow_version?: string | null;

  @AbsentAllowed()
  @IsObject()
  parameters?: Record<string, unknown>;

  @AbsentAllowed()
  @IsObject()
  empirical_policy?: Record<string, unknown>;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsString()
  infrastructure_pid?: string | null;

  @IsOptional()
  @IsObject()
  job_variables?: Record<string, unknown> | null;
}

/** `POST /flow_runs/{id}/resume`: `{run_input?}`. */
export class ResumeBodyDto {
  @IsOptional()
  @IsObject()
  run_input?: Record<string, unknown> | null;
}

const NUMBER_OR_NULL: JsonSchema = { anyOf: [{ type: 'number' }, { type: 'null' }] };

/**
 * `empirical_policy` as flowRunPolicyFromWire reads it: numbers in pydantic's lax forms, and a
 * non-zero deprecated `max_retries` / `retry_delay_seconds` fills an absent `retries` / `retry_delay`.
 */
export const FLOW_RUN_POLICY_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    max_retries: { ...NUMBER_OR_NULL, description: 'deprecated: retries' },
    retry_delay_seconds: { ...NUMBER_OR_NULL, description: 'deprecated: retry_delay' },
    retries: NUMBER_OR_NULL,
    retry_delay: { ...NUMBER_OR_NULL, description: 'seconds' },
    pause_keys: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] },
    resuming: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
    retry_type: { anyOf: [{ enum: ['in_process', 'reschedule'] }, { type: 'null' }] },
  },
};
documentReader(FlowRunCreateDto, 'empirical_policy', FLOW_RUN_POLICY_INPUT);
documentReader(FlowRunUpdateDto, 'empirical_policy', FLOW_RUN_POLICY_INPUT);
