import type { ConcurrencyLimitV2Record } from '@orrery/persistence';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { AbsentAllowed, IsInt32 } from '../common/validators';
import { IsLaxBool, IsLaxNumber, IsLaxUuid } from '../common/lax-scalars';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** Prefect's v2 limit name: no `/ % & > <`. */
const LIMIT_NAME = /^[^/%&><]+$/;

/** `ConcurrencyLimitV2Create`: the body of `POST /v2/concurrency_limits/`. */
export class ConcurrencyLimitV2CreateDto {
  @IsString()
  @Matches(LIMIT_NAME)
  name!: string;

  @IsInt32()
  @Min(0)
  limit!: number;

  @AbsentAllowed()
  @IsLaxBool()
  active = true;

  @AbsentAllowed()
  @IsInt32()
  @Min(0)
  active_slots = 0;

  @AbsentAllowed()
  @IsInt32()
  @Min(0)
  denied_slots = 0;

  @AbsentAllowed()
  @IsLaxNumber()
  @Min(0)
  slot_decay_per_second = 0;
}

/** `ConcurrencyLimitV2Update`: every field optional; `null` leaves the column as it is. */
export class ConcurrencyLimitV2UpdateDto {
  @IsOptional()
  @IsLaxBool()
  active?: boolean | null;

  @IsOptional()
  @IsString()
  @Matches(LIMIT_NAME)
  name?: string | null;

  @IsOptional()
  @IsInt32()
  @Min(0)
  limit?: number | null;

  @IsOptional()
  @IsInt32()
  @Min(0)
  active_slots?: number | null;

  @IsOptional()
  @IsInt32()
  @Min(0)
  denied_slots?: number | null;

  @IsOptional()
  @IsLaxNumber()
  @Min(0)
  slot_decay_per_second?: number | null;
}

/** `ConcurrencyLeaseHolder`. */
export class LeaseHolderDto {
  @IsIn(['flow_run', 'task_run', 'deployment'])
  type!: 'flow_run' | 'task_run' | 'deployment';

  @IsLaxUuid()
  id!: string;
}

/** The body of `POST /v2/concurrency_limits/increment` (and, with a lease, `increment-with-lease`). */
export class IncrementSlotsDto {
  @IsInt32()
  @Min(1)
  slots!: number;

  // Upstream declares `min_items=1`, which pydantic 2 does not enforce: an empty list is accepted.
  @IsArray()
  @IsString({ each: true })
  names!: string[];

  @AbsentAllowed()
  @IsIn(['concurrency', 'rate_limit'])
  mode: 'concurrency' | 'rate_limit' = 'concurrency';

  /** Deprecated and ignored (limits must be created first). */
  @IsOptional()
  @IsLaxBool()
  create_if_missing?: boolean | null;
}

export class IncrementWithLeaseDto extends IncrementSlotsDto {
  @AbsentAllowed()
  @IsLaxNumber()
  @Min(60)
  @Max(86400)
  lease_duration = 300;

  @IsOptional()
  @ValidateNested()
  @Type(() => LeaseHolderDto)
  holder?: LeaseHolderDto | null;
}

/** The body of `POST /v2/concurrency_limits/decrement`. */
export class DecrementSlotsDto {
  @IsInt32()
  @Min(1)
  slots!: number;

  @IsArray()
  @IsString({ each: true })
  names!: string[];

  @IsOptional()
  @IsLaxNumber()
  @Min(Number.MIN_VALUE)
  occupancy_seconds?: number | null;

  @IsOptional()
  @IsLaxBool()
  create_if_missing?: boolean | null;
}

export class DecrementWithLeaseDto {
  @IsLaxUuid()
  lease_id!: string;
}

export class RenewLeaseDto {
  @AbsentAllowed()
  @IsLaxNumber()
  @Min(60)
  @Max(86400)
  lease_duration = 300;
}

/** `{limit, offset}` of both filter routes (`limit` is read with the LimitBody rules). */
export class LimitOffsetDto {
  @IsOptional()
  limit?: unknown;

  @IsOptional()
  @IsInt32()
  @Min(0)
  offset: number | null = 0;
}

/** `ConcurrencyLimitCreate` (v1): a tag and its limit. */
export class ConcurrencyLimitCreateDto {
  @IsString()
  tag!: string;

  @IsInt32()
  concurrency_limit!: number;
}

/** The body of `POST /concurrency_limits/increment` and `/decrement` (v1). */
export class TagSlotsDto {
  @IsArray()
  @IsString({ each: true })
  names!: string[];

  @IsLaxUuid()
  task_run_id!: string;
}

export class ResetTagDto {
  @IsOptional()
  @IsArray()
  @IsLaxUuid({ each: true })
  slot_override?: string[] | null;
}

const LIMIT_COMMON = {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  active: wire.boolean(),
  name: wire.string(),
  limit: wire.integer(),
  active_slots: wire.integer(),
};
export const CONCURRENCY_LIMIT_V2 = wireModel('ConcurrencyLimitV2', {
  ...LIMIT_COMMON,
  denied_slots: wire.integer(),
  slot_decay_per_second: wire.number(),
  avg_slot_occupancy_seconds: wire.number(),
});
export const GLOBAL_CONCURRENCY_LIMIT = wireModel('GlobalConcurrencyLimitResponse', {
  ...LIMIT_COMMON,
  slot_decay_per_second: wire.number(),
});
export const MINIMAL_LIMIT = wireModel('MinimalConcurrencyLimitResponse', {
  id: wire.uuid(),
  name: wire.string(),
  limit: wire.integer(),
});
export const LIMIT_WITH_LEASE = wireModel('ConcurrencyLimitWithLeaseResponse', {
  lease_id: wire.uuid(),
  limits: wire.array(MINIMAL_LIMIT),
});
/** A v1 tag limit: `active_slots` lists the task runs holding a slot. */
export const TAG_LIMIT = wireModel('ConcurrencyLimit', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  tag: wire.string(),
  concurrency_limit: wire.integer(),
  active_slots: wire.array(wire.uuid()),
});

/** `ConcurrencyLimitV2` on the wire (the create answer). */
export function concurrencyLimitV2Response(
  limit: ConcurrencyLimitV2Record,
): WireOf<typeof CONCURRENCY_LIMIT_V2> {
  return {
    id: limit.id,
    created: limit.created.toISOString(),
    updated: limit.updated.toISOString(),
    active: limit.active,
    name: limit.name,
    limit: limit.limit,
    active_slots: limit.activeSlots,
    denied_slots: limit.deniedSlots,
    slot_decay_per_second: limit.slotDecayPerSecond,
    avg_slot_occupancy_seconds: limit.avgSlotOccupancySeconds,
  };
}

/** `GlobalConcurrencyLimitResponse` (reads), `active_slots` decayed to now. */
export function globalConcurrencyLimitResponse(
  limit: ConcurrencyLimitV2Record,
): WireOf<typeof GLOBAL_CONCURRENCY_LIMIT> {
  return {
    id: limit.id,
    created: limit.created.toISOString(),
    updated: limit.updated.toISOString(),
    active: limit.active,
    name: limit.name,
    limit: limit.limit,
    active_slots: limit.activeSlots,
    slot_decay_per_second: limit.slotDecayPerSecond,
  };
}

/** `MinimalConcurrencyLimitResponse`. */
export function minimalLimitResponse(limit: {
  id: string;
  name: string;
  limit: number;
}): WireOf<typeof MINIMAL_LIMIT> {
  return { id: limit.id, name: limit.name, limit: limit.limit };
}
