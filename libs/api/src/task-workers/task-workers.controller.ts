import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { type TaskWorkerResponse, TaskWorkerTracker } from './task-worker.tracker';
import { ApiWireResponse, wire, wireModel } from '../openapi/wire-schema';

/** `TaskWorkerFilter`: `task_keys` is required. */
export class TaskWorkerFilterDto {
  @IsArray()
  @IsString({ each: true })
  task_keys!: string[];
}

/** `Body_read_task_workers_task_workers_filter_post`. */
export class TaskWorkersFilterBodyDto {
  // null is no filter, as upstream's Optional[TaskWorkerFilter]
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskWorkerFilterDto)
  task_worker_filter?: TaskWorkerFilterDto | null;
}

/** A task worker connected to this replica, the task keys it serves and when it connected. */
const TASK_WORKER = wireModel('TaskWorkerResponse', {
  identifier: wire.string(),
  task_keys: wire.array(wire.string()),
  timestamp: wire.dateTime(),
});

/**
 * `POST /api/task_workers/filter`: the task workers connected to this replica, optionally only
 * those subscribed to any of `task_worker_filter.task_keys` (absent or empty: all of them).
 */
@Controller('task_workers')
export class TaskWorkersController {
  constructor(private readonly tracker: TaskWorkerTracker) {}

  @ApiWireResponse(wire.array(TASK_WORKER))
  @Post('filter')
  @HttpCode(200)
  filter(@Body() body: TaskWorkersFilterBodyDto): TaskWorkerResponse[] {
    // No body at all is no filter.
    return this.tracker.list(
      (body as TaskWorkersFilterBodyDto | undefined)?.task_worker_filter?.task_keys ?? null,
    );
  }
}
