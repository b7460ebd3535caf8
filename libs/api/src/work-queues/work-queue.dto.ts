import type { WorkQueueRecord } from '@orrery/persistence';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { AbsentAllowed, IsInt32 } from '../common/validators';
import { NAME_PATTERN } from '../flows/flow.dto';
import { IsLaxBool, IsLaxDateTime, IsLaxUuid } from '../common/lax-scalars';
import { FLOW_RUN_SLOT_SUMMARY } from '../work-pools/concurrency-status.dto';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** Legacy `QueueFilter` of a `/work_queues/` queue. */
export class QueueFilterDto {
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[] | null;

  @IsOptional()
  @IsArray()
  @IsLaxUuid({ each: true })
  deployment_ids?: string[] | null;
}

/** `WorkQueueCreate`: the body of `POST /work_pools/{pool}/queues` and legacy `POST /work_queues/`. */
export class WorkQueueCreateDto {
  @IsString()
  @Matches(NAME_PATTERN)
  name!: string;

  @IsOptional()
  @IsString()
  description: string | null = '';

  @AbsentAllowed()
  @IsLaxBool()
  is_paused = false;

  @IsOptional()
  @IsInt32()
  @Min(0)
  concurrency_limit: number | null = null;

  @IsOptional()
  @IsInt32()
  @Min(1)
  priority: number | null = null;

  @IsOptional()
  @ValidateNested()
  @Type(() => QueueFilterDto)
  filter?: QueueFilterDto | null;
}

/** `WorkQueueUpdate`: only the keys present are written. */
export class WorkQueueUpdateDto {
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN)
  name?: string | null;

  @IsOptional()
  @IsString()
  description?: string | null;

  @AbsentAllowed()
  @IsLaxBool()
  is_paused?: boolean;

  @IsOptional()
  @IsInt32()
  @Min(0)
  concurrency_limit?: number | null;

  @IsOptional()
  @IsInt32()
  @Min(1)
  priority?: number | null;

  @IsOptional()
  @IsLaxDateTime()
  last_polled?: string | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => QueueFilterDto)
  filter?: QueueFilterDto | null;
}

/** A legacy queue's filter as QueueFilterDto accepted it: only the keys the client sent. */
export const QUEUE_FILTER = wireModel(
  'QueueFilter',
  { tags: wire.nullable(wire.array(wire.string())), deployment_ids: wire.nullable(wire.array(wire.uuid())) },
  { optional: ['tags', 'deployment_ids'] },
);

export const WORK_QUEUE = wireModel('WorkQueueResponse', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  description: wire.string(),
  is_paused: wire.boolean(),
  concurrency_limit: wire.nullable(wire.integer()),
  priority: wire.integer(),
  work_pool_id: wire.uuid(),
  filter: wire.nullable(QUEUE_FILTER),
  last_polled: wire.nullable(wire.dateTime()),
  work_pool_name: wire.string(),
  status: wire.enum(['READY', 'NOT_READY', 'PAUSED'] as const),
  active_slots: wire.nullable(wire.integer()),
});

/** `GET /work_queues/{id}/status`: health by the default WorkQueueHealthPolicy. */
export const WORK_QUEUE_STATUS_DETAIL = wireModel('WorkQueueStatusDetail', {
  healthy: wire.boolean(),
  late_runs_count: wire.integer(),
  last_polled: wire.nullable(wire.dateTime()),
  health_check_policy: wireModel('WorkQueueHealthPolicy', {
    maximum_late_runs: wire.integer(),
    maximum_seconds_since_last_polled: wire.integer(),
  }),
});

export const WORK_QUEUE_CONCURRENCY_STATUS = wireModel('WorkQueueConcurrencyStatus', {
  active_slots: wire.integer(),
  concurrency_limit: wire.nullable(wire.integer()),
  flow_runs: wire.array(FLOW_RUN_SLOT_SUMMARY),
  count: wire.integer(),
  limit: wire.integer(),
  pages: wire.integer(),
  page: wire.integer(),
});

/** `WorkQueueResponse` on the wire. */
export function workQueueResponse(queue: WorkQueueRecord): WireOf<typeof WORK_QUEUE> {
  return {
    id: queue.id,
    created: queue.created.toISOString(),
    updated: queue.updated.toISOString(),
    name: queue.name,
    description: queue.description,
    is_paused: queue.isPaused,
    concurrency_limit: queue.concurrencyLimit,
    priority: queue.priority,
    work_pool_id: queue.workPoolId,
    filter: queue.filter ?? null,
    last_polled: queue.lastPolled?.toISOString() ?? null,
    work_pool_name: queue.workPoolName,
    status: queue.status,
    active_slots: queue.activeSlots,
  };
}
