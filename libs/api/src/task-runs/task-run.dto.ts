import type { Labels } from '@orrery/persistence';
import { Allow, IsArray, IsObject, IsOptional, IsString } from 'class-validator';
import { AbsentAllowed, IsLabels } from '../common/validators';
import { IsLaxDateTime, IsLaxUuid } from '../common/lax-scalars';
import { documentReader } from '../openapi/validator-schema';

/** `TaskRunCreate`: the body of `POST /task_runs/`. `state` is read by stateCreateFromBody. */
export class TaskRunCreateDto {
  @IsOptional()
  @IsLaxUuid()
  id?: string | null;

  @Allow()
  state?: unknown;

  @AbsentAllowed()
  @IsString()
  name?: string;

  @IsOptional()
  @IsLaxUuid()
  flow_run_id?: string | null;

  @IsString()
  task_key!: string;

  @IsString()
  dynamic_key!: string;

  @IsOptional()
  @IsString()
  cache_key?: string | null;

  @IsOptional()
  @IsLaxDateTime()
  cache_expiration?: string | null;

  @IsOptional()
  @IsString()
  task_version?: string | null;

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

  @AbsentAllowed()
  @IsObject()
  task_inputs?: Record<string, unknown>;
}

/** `TaskRunUpdate`: the body of `PATCH /task_runs/{id}`. */
export class TaskRunUpdateDto {
  @AbsentAllowed()
  @IsString()
  name?: string;
}

/** `empirical_policy` as taskRunPolicyFromWire reads it: `retry_delay` seconds or one per retry (≤ 50). */
documentReader(TaskRunCreateDto, 'empirical_policy', {
  type: 'object',
  properties: {
    max_retries: { anyOf: [{ type: 'number' }, { type: 'null' }], description: 'deprecated: retries' },
    retry_delay_seconds: {
      anyOf: [{ type: 'number' }, { type: 'null' }],
      description: 'deprecated: retry_delay',
    },
    retries: { anyOf: [{ type: 'number' }, { type: 'null' }] },
    retry_delay: {
      anyOf: [
        { type: 'number' },
        { type: 'array', items: { type: 'number' }, maxItems: 50 },
        { type: 'null' },
      ],
    },
    retry_jitter_factor: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] },
  },
});
