import type { FlowRunInputRecord } from '@orrery/persistence';
import { IsArray, IsOptional, IsString, Matches, Min } from 'class-validator';
import { AbsentAllowed, IsInt32 } from '../common/validators';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** Input keys: lowercase letters, digits and dashes (Prefect's `raise_on_name_alphanumeric_dashes_only`). */
export const INPUT_KEY_PATTERN = /^[a-z0-9-]*$/;

/** The body of `POST /flow_runs/{id}/input`. */
export class FlowRunInputCreateDto {
  @IsString()
  @Matches(INPUT_KEY_PATTERN)
  key!: string;

  /** Prefect reads it as bytes and stores the decoded text. */
  @IsString()
  value!: string;

  @IsOptional()
  @IsString()
  sender: string | null = null;
}

/** The body of `POST /flow_runs/{id}/input/filter`. */
export class FlowRunInputFilterDto {
  @IsString()
  prefix!: string;

  @AbsentAllowed()
  @IsInt32()
  @Min(0)
  limit = 1;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  exclude_keys: string[] = [];
}

/** A stored input: `value` is the JSON text the SDK sent. */
export const FLOW_RUN_INPUT = wireModel('FlowRunInput', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  flow_run_id: wire.uuid(),
  key: wire.string(),
  value: wire.string(),
  sender: wire.nullable(wire.string()),
});

/** `FlowRunInput` on the wire. */
export function flowRunInputResponse(input: FlowRunInputRecord): WireOf<typeof FLOW_RUN_INPUT> {
  return {
    id: input.id,
    created: input.created,
    updated: input.updated,
    flow_run_id: input.flow_run_id,
    key: input.key,
    value: input.value,
    sender: input.sender,
  };
}
