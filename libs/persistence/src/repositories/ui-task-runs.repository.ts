import { Inject, Injectable } from '@nestjs/common';
import { Instant, STATE_TYPES, type StateType, type TaskRunCriteria } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { SqlParameters, taskRunCriteriaClause, whereSql } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

/** Completed and failed task runs of one dashboard bucket. */
export interface TaskRunBucketCount {
  completed: number;
  failed: number;
}

/** The dashboard's task-run chart has this many bars. */
export const DASHBOARD_BUCKETS = 20;

/** Failed for the dashboard: FAILED and CRASHED (every other terminal type counts as completed). */
const FAILED_TYPES = `('FAILED', 'CRASHED')`;

/** The task-run pages' helpers (`/ui/task_runs/*`). */
@Injectable()
export class UiTaskRunsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * `POST /ui/task_runs/dashboard/counts`: the matching task runs started in `[start, end]`, in
   * DASHBOARD_BUCKETS equal slices of that window by start time, failed vs the rest. One aggregate
   * (ix_task_run__state_type_start_time serves the terminal-type + start-time filter). A run starting
   * exactly at `end` belongs to the last bucket. Every bucket is present, empty ones as zeros.
   */
  async dashboardCounts(
    criteria: TaskRunCriteria,
    window: { start: Instant; end: Instant },
  ): Promise<TaskRunBucketCount[]> {
    const p = new SqlParameters();
    const where = whereSql(taskRunCriteriaClause(criteria, p));
    const start = p.add(window.start.toISOString(), 'timestamptz');
    const end = p.add(window.end.toISOString(), 'timestamptz');
    const bucketSeconds = p.add(window.end.secondsSince(window.start) / DASHBOARD_BUCKETS, 'float8');
    const sql = `SELECT least(floor(extract(epoch from task_run.start_time - ${start}) / ${bucketSeconds}), ${DASHBOARD_BUCKETS - 1})::int AS bucket,
        count(*) FILTER (WHERE task_run.state_type IN ${FAILED_TYPES})::int AS failed,
        count(*) FILTER (WHERE task_run.state_type NOT IN ${FAILED_TYPES})::int AS completed
      FROM task_run
      WHERE ${where} AND task_run.start_time >= ${start} AND task_run.start_time <= ${end}
      GROUP BY 1`;
    const rows = (await this.dataSource.query(sql, p.values)) as {
      bucket: number;
      failed: number;
      completed: number;
    }[];
    const buckets = Array.from({ length: DASHBOARD_BUCKETS }, () => ({ completed: 0, failed: 0 }));
    for (const row of rows) {
      const bucket = buckets[Number(row.bucket)];
      if (bucket === undefined) continue;
      bucket.completed = Number(row.completed);
      bucket.failed = Number(row.failed);
    }
    return buckets;
  }

  /** `POST /ui/task_runs/count`: matching task runs per state type, every type present (0 when none). */
  async countByState(criteria: TaskRunCriteria): Promise<Record<StateType, number>> {
    const p = new SqlParameters();
    const where = whereSql(taskRunCriteriaClause(criteria, p));
    const sql = `SELECT task_run.state_type, count(*)::int AS count FROM task_run
        WHERE task_run.state_type IS NOT NULL AND ${where}
        GROUP BY task_run.state_type`;
    const rows = (await this.dataSource.query(sql, p.values)) as { state_type: StateType; count: number }[];
    const counts = Object.fromEntries(STATE_TYPES.map((t) => [t, 0])) as Record<StateType, number>;
    for (const row of rows) counts[row.state_type] = Number(row.count);
    return counts;
  }
}
