import type { WorkQueueRecord } from '@orrery/persistence';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { AbsentAllowed, IsInt32 } from '../common/validators';
import { NAME_PATTERN } from '../flows/flow.dto';
import { IsLaxBool, IsLaxDateTime, IsLaxUuid } from '../common/lax-scalars';

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

/** `WorkQueueResponse` on the wire. */
export function workQueueResponse(queue: WorkQueueRecord): Record<string, unknown> {
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
