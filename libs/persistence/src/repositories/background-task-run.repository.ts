import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/** A background task run waiting for a task worker. */
export interface ScheduledBackgroundTaskRun {
  readonly id: string;
  readonly taskKey: string;
  readonly stateId: string | null;
}

/** At most this many runs are read for one subscription's catch-up. */
export const SCHEDULED_BACKGROUND_RUNS_LIMIT = 1000;

/*
 * Background (deferred) task runs: no flow run, currently SCHEDULED. Serving index:
 * uq_task_run__flow_run_id_task_key_dynamic_key (flow_run_id IS NULL, task_key = ANY).
 */
const SQL = {
  scheduled: `SELECT id, task_key, state_id FROM task_run
      WHERE flow_run_id IS NULL AND task_key = ANY($1::text[]) AND state_type = 'SCHEDULED'
      ORDER BY expected_start_time NULLS FIRST, id
      LIMIT ${SCHEDULED_BACKGROUND_RUNS_LIMIT}`,
} as const;

@Injectable()
export class BackgroundTaskRunRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The scheduled background runs of these task keys, oldest expected start first. */
  async scheduled(taskKeys: readonly string[]): Promise<ScheduledBackgroundTaskRun[]> {
    if (taskKeys.length === 0) return [];
    const rows = (await this.dataSource.query(SQL.scheduled, [taskKeys])) as {
      id: string;
      task_key: string;
      state_id: string | null;
    }[];
    return rows.map((r) => ({ id: r.id, taskKey: r.task_key, stateId: r.state_id }));
  }
}
