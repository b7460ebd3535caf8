import { Inject, Injectable } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/*
 * The finders of the cancellation-cleanup service (spec-services-events-ha §2.2).
 * - cancelled flow runs (ended in the window) that still have unfinished task runs
 *   (ix_flow_run__end_time_desc, then ix_task_run__flow_run_id);
 * - unfinished subflow runs whose parent flow run is cancelled (ix_flow_run__subflow_parent_task_run_id:
 *   the explicit `parent_task_run_id IS NOT NULL` lets the planner start there; without it, it read
 *   every flow run, 465 ms a tick at a million runs);
 * - every CANCELLING run, in keyset pages on (state_timestamp, id) (ix_flow_run__state_type).
 */
const ACTIVE_TASK = `(t.state_type IS NULL OR t.state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'))`;

const SQL = {
  cancelledWithActiveTasks: `SELECT fr.id FROM flow_run fr
      WHERE fr.state_type = 'CANCELLED' AND fr.end_time >= $1
        AND EXISTS (SELECT 1 FROM task_run t WHERE t.flow_run_id = fr.id AND ${ACTIVE_TASK})
      ORDER BY fr.end_time
      LIMIT $2`,
  activeTaskRuns: `SELECT t.id FROM task_run t WHERE t.flow_run_id = $1 AND ${ACTIVE_TASK} ORDER BY t.id LIMIT $2`,
  subflowsOfCancelledParents: `SELECT fr.id FROM flow_run fr
      JOIN task_run t ON t.id = fr.parent_task_run_id
      JOIN flow_run parent ON parent.id = t.flow_run_id
      WHERE fr.parent_task_run_id IS NOT NULL
        AND fr.state_type IN ('PENDING', 'SCHEDULED', 'RUNNING', 'PAUSED', 'CANCELLING')
        AND parent.state_type = 'CANCELLED'
      LIMIT $1`,
  parentStateOfSubflow: `SELECT parent.state_type FROM flow_run fr
      JOIN task_run t ON t.id = fr.parent_task_run_id
      JOIN flow_run parent ON parent.id = t.flow_run_id
      WHERE fr.id = $1`,
  cancellingPage: `SELECT id, state_id, state_timestamp FROM flow_run
      WHERE state_type = 'CANCELLING' AND (state_timestamp, id) > ($1::timestamptz, $2::uuid)
      ORDER BY state_timestamp, id
      LIMIT $3`,
} as const;

export interface CancellingRun {
  readonly id: string;
  readonly stateId: string;
  readonly stateTimestamp: Instant;
}

@Injectable()
export class CancellationCleanupRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async cancelledFlowRunsWithActiveTasks(endedSince: Instant, limit: number): Promise<string[]> {
    return this.ids(SQL.cancelledWithActiveTasks, [endedSince.toISOString(), limit]);
  }

  async activeTaskRuns(flowRunId: string, limit: number): Promise<string[]> {
    return this.ids(SQL.activeTaskRuns, [flowRunId, limit]);
  }

  async subflowRunsOfCancelledParents(limit: number): Promise<string[]> {
    return this.ids(SQL.subflowsOfCancelledParents, [limit]);
  }

  /** The state type of the flow run that owns this subflow's parent task run (null when none). */
  async parentStateType(subflowRunId: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(SQL.parentStateOfSubflow, [subflowRunId])) as {
      state_type: string | null;
    }[];
    return row?.state_type ?? null;
  }

  /** One page of CANCELLING runs after the keyset `(after.stateTimestamp, after.id)`. */
  async cancellingRuns(
    after: { stateTimestamp: Instant; id: string } | null,
    limit: number,
  ): Promise<CancellingRun[]> {
    const rows = (await this.dataSource.query(SQL.cancellingPage, [
      (after?.stateTimestamp ?? Instant.EPOCH).toISOString(),
      after?.id ?? '00000000-0000-0000-0000-000000000000',
      limit,
    ])) as { id: string; state_id: string; state_timestamp: string }[];
    return rows.map((r) => ({
      id: r.id,
      stateId: r.state_id,
      stateTimestamp: Instant.parse(r.state_timestamp),
    }));
  }

  private async ids(sql: string, params: unknown[]): Promise<string[]> {
    return ((await this.dataSource.query(sql, params)) as { id: string }[]).map((r) => r.id);
  }
}
