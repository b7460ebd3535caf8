import { Instant } from '@orrery/domain';
import type { WorkQueueChanges, WorkQueueCreateInput } from '@orrery/persistence';
import type { WorkQueueCreateDto, WorkQueueUpdateDto } from './work-queue.dto';

/** A validated `WorkQueueCreate` as the repository takes it. */
export function queueCreateInput(body: WorkQueueCreateDto): WorkQueueCreateInput {
  return {
    name: body.name,
    description: body.description,
    isPaused: body.is_paused,
    concurrencyLimit: body.concurrency_limit,
    priority: body.priority,
    filter: body.filter ?? null,
  };
}

/** The keys of a `WorkQueueUpdate` the client sent; `null` name/priority mean "leave it" (NOT NULL). */
export function queueChanges(body: WorkQueueUpdateDto): WorkQueueChanges {
  return {
    ...(body.name != null ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.is_paused !== undefined ? { isPaused: body.is_paused } : {}),
    ...(body.concurrency_limit !== undefined ? { concurrencyLimit: body.concurrency_limit } : {}),
    ...(body.priority != null ? { priority: body.priority } : {}),
    ...(body.last_polled !== undefined
      ? { lastPolled: body.last_polled === null ? null : Instant.parse(body.last_polled) }
      : {}),
  };
}
