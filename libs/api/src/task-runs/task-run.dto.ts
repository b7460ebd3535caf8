import type { Labels } from '@orrery/persistence';
import { Allow, IsArray, IsObject, IsOptional, IsString } from 'class-validator';
import { AbsentAllowed, IsLabels } from '../common/validators';
import { IsLaxDateTime, IsLaxUuid } from '../common/lax-scalars';

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
