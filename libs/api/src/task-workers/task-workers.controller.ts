import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { type TaskWorkerResponse, TaskWorkerTracker } from './task-worker.tracker';

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

/**
 * `POST /api/task_workers/filter`: the task workers connected to this replica, optionally only
 * those subscribed to any of `task_worker_filter.task_keys` (absent or empty: all of them).
 */
@Controller('task_workers')
export class TaskWorkersController {
  constructor(private readonly tracker: TaskWorkerTracker) {}

  @Post('filter')
  @HttpCode(200)
  filter(@Body() body: TaskWorkersFilterBodyDto): TaskWorkerResponse[] {
    // No body at all is no filter.
    return this.tracker.list(
      (body as TaskWorkersFilterBodyDto | undefined)?.task_worker_filter?.task_keys ?? null,
    );
  }
}
