// task-run-recorder: turns the `prefect.task-run.*` events clients emit (Prefect 3 SDKs report task
// runs only as events) into task runs and task-run states. Consumer group `task-run-recorder` on the
// `events` stream: replicas share the work. A batch is written in one transaction and acknowledged
// only after it commits (upstream acknowledges on receipt and loses a flush window on a crash).
import { Injectable, Logger } from '@nestjs/common';
import { type BusMessage } from '@orrery/bus';
import { TaskRunRecorderRepository } from '@orrery/persistence';
import { instruments, recordStateTransition } from '@orrery/telemetry';
import { isClientTaskRunEvent, type TaskRunEvent, taskRunRows } from './task-run-rows';

/**
 * Entries one read takes at least. Under load a read returns a backlog larger than BATCH_SIZE,
 * written at once as one batch: fewer, larger transactions, so the recorder catches up instead of
 * falling further behind. Memory holds at most this many events.
 */
export const RECORDER_READ_SIZE = 200;

/** Accepts any event-shaped message; the rows builder skips the ones that are not task-run events. */
export function asEvent(data: unknown): TaskRunEvent {
  const e = data as Partial<TaskRunEvent> | null;
  if (typeof e !== 'object' || e === null || typeof e.id !== 'string' || typeof e.event !== 'string') {
    throw new Error('not an event: needs id and event');
  }
  if (typeof e.resource !== 'object' || e.resource === null || typeof e.occurred !== 'string') {
    throw new Error('not an event: needs occurred and resource');
  }
  return e as TaskRunEvent;
}

/**
 * One batch, one transaction, acknowledged after the commit. `TaskRunRecorderModule.forRoot`
 * subclasses this with the `@OnStreamMessage` declaration, because the read size, batch size and
 * flush interval come from the settings.
 */
@Injectable()
export class TaskRunRecorderConsumer {
  private readonly logger = new Logger('task-run-recorder');

  constructor(private readonly repository: TaskRunRecorderRepository) {}

  async record(messages: BusMessage<TaskRunEvent>[]): Promise<void> {
    const { runs, states } = taskRunRows(messages.map((m) => m.data));
    if (runs.length === 0) return;
    const written = await this.repository.record(runs, states);
    // Committed: how long each recorded event took from happening to being stored.
    const now = Date.now();
    const meters = instruments();
    for (const m of messages) {
      if (!isClientTaskRunEvent(m.data)) continue;
      const occurred = Date.parse(m.data.occurred);
      if (Number.isFinite(occurred)) meters.recorderLag.record(Math.max(0, now - occurred) / 1000);
      const type = m.data.payload?.validated_state?.type;
      if (type !== undefined) recordStateTransition('task_run', type, 'RECORDED');
    }
    this.logger.debug(`recorded ${states.length} task-run state(s), ${written} task run(s) written`);
  }
}
