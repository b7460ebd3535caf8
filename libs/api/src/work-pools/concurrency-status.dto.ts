import type { Instant } from '@orrery/domain';
import type { SlotHolder } from '@orrery/persistence';
import { IsOptional, Max, Min } from 'class-validator';
import { IsInt32 } from '../common/validators';
import { STATE_TYPES } from '@orrery/domain';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** The body of `POST /work_pools/{name}/concurrency_status` and `/work_queues/{id}/concurrency_status`. */
export class ConcurrencyStatusBodyDto {
  @IsOptional()
  @IsInt32()
  @Min(1)
  page: number | null = 1;

  /** Pools only: how many slot holders to list per queue. */
  @IsOptional()
  @IsInt32()
  @Min(0)
  @Max(200)
  flow_run_limit: number | null = 10;

  /** Read by `parseLimit` (LimitBody rules). */
  @IsOptional()
  limit?: unknown;
}

export const FLOW_RUN_SLOT_SUMMARY = wireModel('FlowRunSlotSummary', {
  id: wire.uuid(),
  name: wire.string(),
  state_type: wire.nullable(wire.enum(STATE_TYPES)),
  state_name: wire.nullable(wire.string()),
  start_time: wire.nullable(wire.dateTime()),
  state_timestamp: wire.nullable(wire.dateTime()),
  time_in_current_state: wire.nullable(wire.number()),
});

/** `FlowRunSlotSummary` on the wire; `time_in_current_state` in float seconds as of `now`. */
export function slotHolderResponse(run: SlotHolder, now: Instant): WireOf<typeof FLOW_RUN_SLOT_SUMMARY> {
  return {
    id: run.id,
    name: run.name,
    state_type: run.stateType,
    state_name: run.stateName,
    start_time: run.startTime?.toISOString() ?? null,
    state_timestamp: run.stateTimestamp?.toISOString() ?? null,
    time_in_current_state: run.stateTimestamp === null ? null : now.secondsSince(run.stateTimestamp),
  };
}

/** `pages` of a page window: ceil(count / limit), 0 when the limit is 0. */
export function pageCount(count: number, limit: number): number {
  return limit === 0 ? 0 : Math.ceil(count / limit);
}
