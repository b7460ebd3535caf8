import { Inject, Injectable } from '@nestjs/common';
import type { ListRequest, TaskRunCriteria, TaskRunSort } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { TASK_RUN_ORDER, taskRunCountQuery, taskRunListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';
import {
  TASK_RUN_COLUMNS,
  TASK_RUN_JOINS,
  type TaskRunRecord,
  type TaskRunRow,
  toTaskRunRecord,
} from './task-run.records';

/*
 * Task-run reads and plain writes (state changes go through OrchestrationUnit). Serving indexes:
 * pk_task_run, the filter compiler's (lists), pk_task_run_state and pk_artifact for the joined
 * state, pk_flow_run for the UI's flow-run name.
 */
const SQL = {
  byId: `SELECT ${TASK_RUN_COLUMNS} FROM task_run ${TASK_RUN_JOINS} WHERE task_run.id = $1`,
  byIdWithFlowRunName: `SELECT ${TASK_RUN_COLUMNS}, ui_flow_run.name AS flow_run_name
      FROM task_run ${TASK_RUN_JOINS}
      LEFT JOIN flow_run ui_flow_run ON ui_flow_run.id = task_run.flow_run_id
      WHERE task_run.id = $1`,
  rename: `UPDATE task_run SET name = $2, updated = now() WHERE id = $1`,
  touch: `UPDATE task_run SET updated = now() WHERE id = $1`,
  // With the run's logs (ix_log__task_run_id), which have no foreign key.
  delete: `WITH deleted AS (DELETE FROM task_run WHERE id = $1 RETURNING id),
      deleted_logs AS (DELETE FROM log WHERE task_run_id IN (SELECT id FROM deleted))
      SELECT id FROM deleted`,
} as const;

@Injectable()
export class TaskRunRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async get(id: string): Promise<TaskRunRecord | null> {
    const [row] = (await this.dataSource.query(SQL.byId, [id])) as TaskRunRow[];
    return row === undefined ? null : toTaskRunRecord(row);
  }

  /** `GET /ui/task_runs/{id}`: the task run and the name of its flow run. */
  async getWithFlowRunName(id: string): Promise<{ run: TaskRunRecord; flowRunName: string | null } | null> {
    const [row] = (await this.dataSource.query(SQL.byIdWithFlowRunName, [id])) as (TaskRunRow & {
      flow_run_name: string | null;
    })[];
    return row === undefined ? null : { run: toTaskRunRecord(row), flowRunName: row.flow_run_name };
  }

  /**
   * `POST /task_runs/filter`: the filtered page (the filter compiler's statement) as a derived
   * table named `task_run`, joined with each run's state, in the page's order — one statement.
   */
  async list(request: ListRequest<TaskRunCriteria, TaskRunSort>): Promise<TaskRunRecord[]> {
    const page = taskRunListQuery(request);
    const sql = `SELECT ${TASK_RUN_COLUMNS} FROM (${page.sql}) AS task_run ${TASK_RUN_JOINS} ORDER BY ${TASK_RUN_ORDER[request.sort]}`;
    return ((await this.dataSource.query(sql, page.params)) as TaskRunRow[]).map(toTaskRunRecord);
  }

  async count(criteria: TaskRunCriteria): Promise<number> {
    const { sql, params } = taskRunCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  /** `PATCH /task_runs/{id}` (TaskRunUpdate has only `name`); false when there is no such run. */
  async update(id: string, update: { name?: string }): Promise<boolean> {
    const [sql, params] = update.name === undefined ? [SQL.touch, [id]] : [SQL.rename, [id, update.name]];
    return (await this.affected(sql, params)) > 0;
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.dataSource.query(SQL.delete, [id])) as unknown[]).length > 0;
  }

  private async affected(sql: string, params: unknown[]): Promise<number> {
    const [, count] = (await this.dataSource.query(sql, params)) as [unknown, unknown];
    if (typeof count !== 'number')
      throw new Error('the database driver did not report an affected-row count');
    return count;
  }
}
