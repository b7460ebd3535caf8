import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';
import { type RunStateRow, type StateRecord, toStateRecord } from './run-state.records';

const COLUMNS = (table: string) =>
  `s.id, s.type, s.name, s."timestamp", s.message, s.state_details, COALESCE(s.data, a.data) AS data
   FROM ${table} s LEFT JOIN artifact a ON a.id = s.result_artifact_id`;

/*
 * State history reads (`/flow_run_states/`, `/task_run_states/`). Serving indexes:
 * uq_flow_run_state__flow_run_id_timestamp_desc / uq_task_run_state__task_run_id_timestamp_desc
 * (a run's states by timestamp), pk_*_run_state (by id), pk_artifact (result data).
 */
const SQL = {
  flowRunStates: `SELECT ${COLUMNS('flow_run_state')} WHERE s.flow_run_id = $1 ORDER BY s."timestamp" ASC`,
  flowRunState: `SELECT ${COLUMNS('flow_run_state')} WHERE s.id = $1`,
  taskRunStates: `SELECT ${COLUMNS('task_run_state')} WHERE s.task_run_id = $1 ORDER BY s."timestamp" ASC`,
  taskRunState: `SELECT ${COLUMNS('task_run_state')} WHERE s.id = $1`,
} as const;

@Injectable()
export class RunStateRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async flowRunStates(flowRunId: string): Promise<StateRecord[]> {
    return this.many(SQL.flowRunStates, flowRunId);
  }

  async flowRunState(id: string): Promise<StateRecord | null> {
    return (await this.many(SQL.flowRunState, id))[0] ?? null;
  }

  async taskRunStates(taskRunId: string): Promise<StateRecord[]> {
    return this.many(SQL.taskRunStates, taskRunId);
  }

  async taskRunState(id: string): Promise<StateRecord | null> {
    return (await this.many(SQL.taskRunState, id))[0] ?? null;
  }

  private async many(sql: string, id: string): Promise<StateRecord[]> {
    return ((await this.dataSource.query(sql, [id])) as RunStateRow[]).map(toStateRecord);
  }
}
