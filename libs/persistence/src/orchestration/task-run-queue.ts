import { randomUUID } from 'node:crypto';
import type { BackgroundTaskQueuePort, TaskRunSnapshot } from '@orrery/orchestration';
import type { OutboxMessage } from '../repositories/outbox.repository';

/**
 * The background-task queue (`.delay()` → `WS /api/task_runs/subscriptions/scheduled`) lives on the
 * bus, one stream per task key, so a task worker connected to any API replica receives runs
 * submitted through any other (upstream keeps it in one process's memory, issue #21218).
 */
export const TASK_RUN_QUEUE_TOPIC_PREFIX = 'task-run-queue:';

/** The stream of one task key's scheduled background task runs. */
export function taskRunQueueTopic(taskKey: string): string {
  return `${TASK_RUN_QUEUE_TOPIC_PREFIX}${taskKey}`;
}

/** One queued run. The subscriber re-reads the run and delivers it only while it is still in this state. */
export interface TaskRunQueueMessage {
  readonly task_run_id: string;
  readonly task_key: string;
  /** The SCHEDULED state that queued it; a later state makes this message stale. */
  readonly state_id: string | null;
  /** Queued by a retry (AwaitingRetry) rather than a first submission. */
  readonly retry: boolean;
}

/**
 * The de-duplication key of a queued run: one message per (run, scheduled state), whether it came
 * from orchestration or from a subscriber's catch-up read of the database.
 */
export function taskRunQueueMessageId(taskRunId: string, stateId: string | null): string {
  return `task-run-queue:${taskRunId}:${stateId ?? randomUUID()}`;
}

/** The outbox message that queues `run`: published only if the orchestrating transaction commits. */
export function taskRunQueueOutboxMessage(
  run: { id: string; taskKey: string },
  stateId: string | null,
  retry: boolean,
): OutboxMessage {
  const data: TaskRunQueueMessage = { task_run_id: run.id, task_key: run.taskKey, state_id: stateId, retry };
  return {
    topic: taskRunQueueTopic(run.taskKey),
    data,
    attributes: { id: taskRunQueueMessageId(run.id, stateId) },
  };
}

/** EnqueueScheduledTasks' port: queues through the transaction's outbox (after commit, never before). */
export class OutboxTaskRunQueue implements BackgroundTaskQueuePort {
  constructor(private readonly emit: (message: OutboxMessage) => void) {}

  enqueue(taskRun: TaskRunSnapshot, options: { retry: boolean; stateId?: string }): Promise<void> {
    this.emit(taskRunQueueOutboxMessage(taskRun, options.stateId ?? null, options.retry));
    return Promise.resolve();
  }
}
