import { Inject, Injectable } from '@nestjs/common';
import type { FlowRunCriteria, FlowRunSort, ListRequest } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { flowRunCountQuery, flowRunListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';
import type { Labels } from './flow.repository';
import {
  FLOW_RUN_COLUMNS,
  FLOW_RUN_JOINS,
  type FlowRunRecord,
  type FlowRunRow,
  toFlowRunRecord,
} from './flow-run.records';

/** The columns `PATCH /flow_runs/{id}` may write (FlowRunUpdate); absent keys are left alone. */
export interface FlowRunUpdate {
  name?: string;
  flowVersion?: string | null;
  parameters?: Record<string, unknown>;
  /** FlowRunPolicy JSON, as stored. */
  empiricalPolicy?: Record<string, unknown>;
  tags?: string[];
  infrastructurePid?: string | null;
  jobVariables?: Record<string, unknown> | null;
}

const UPDATE_COLUMNS: Readonly<Record<keyof FlowRunUpdate, { column: string; cast: string; json: boolean }>> =
  {
    name: { column: 'name', cast: 'text', json: false },
    flowVersion: { column: 'flow_version', cast: 'text', json: false },
    parameters: { column: 'parameters', cast: 'jsonb', json: true },
    empiricalPolicy: { column: 'empirical_policy', cast: 'jsonb', json: true },
    tags: { column: 'tags', cast: 'jsonb', json: true },
    infrastructurePid: { column: 'infrastructure_pid', cast: 'text', json: false },
    jobVariables: { column: 'job_variables', cast: 'jsonb', json: true },
  };

/*
 * Flow-run reads and the plain (non-orchestrated) writes. State changes never come through here:
 * they go through OrchestrationUnit (libs/persistence/src/orchestration). Serving indexes:
 * pk_flow_run (by id), the filter compiler's (lists, see filters/flow-run-list.query.ts), and the
 * primary keys of the joined state, artifact, queue and pool (FLOW_RUN_JOINS).
 */
const SQL = {
  byId: `SELECT ${FLOW_RUN_COLUMNS} FROM flow_run ${FLOW_RUN_JOINS} WHERE flow_run.id = $1`,
  mergeLabels: `UPDATE flow_run SET labels = COALESCE(labels, '{}'::jsonb) || $2::jsonb, updated = now() WHERE id = $1`,
  // Deleting runs also deletes their logs (ix_log__flow_run_id), which have no foreign key;
  // Prefect does it in a background task right after. Task runs and states go by cascade.
  deleteMany: `WITH deleted AS (DELETE FROM flow_run WHERE id = ANY($1::uuid[]) RETURNING id),
      deleted_logs AS (DELETE FROM log WHERE flow_run_id IN (SELECT id FROM deleted))
      SELECT id FROM deleted`,
  deploymentExists: `SELECT 1 FROM deployment WHERE id = $1`,
} as const;

@Injectable()
export class FlowRunRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async get(id: string): Promise<FlowRunRecord | null> {
    const [row] = (await this.dataSource.query(SQL.byId, [id])) as FlowRunRow[];
    return row === undefined ? null : toFlowRunRecord(row);
  }

  /** `POST /flow_runs/filter`: one statement with the state, queue and pool joined (no N+1). */
  async list(request: ListRequest<FlowRunCriteria, FlowRunSort>): Promise<FlowRunRecord[]> {
    const { sql, params } = flowRunListQuery(request, { select: FLOW_RUN_COLUMNS, joins: FLOW_RUN_JOINS });
    return ((await this.dataSource.query(sql, params)) as FlowRunRow[]).map(toFlowRunRecord);
  }

  async count(criteria: FlowRunCriteria): Promise<number> {
    const { sql, params } = flowRunCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  /** Ids of up to `limit` matching runs, newest first (bulk endpoints). */
  async matchingIds(criteria: FlowRunCriteria, limit: number): Promise<string[]> {
    const { sql, params } = flowRunListQuery(
      { ...criteria, sort: 'ID_DESC', limit, offset: 0 },
      { select: 'flow_run.id' },
    );
    return ((await this.dataSource.query(sql, params)) as { id: string }[]).map((r) => r.id);
  }

  /** Writes only the given columns; false when there is no such run. */
  async update(id: string, update: FlowRunUpdate): Promise<boolean> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, spec] of Object.entries(UPDATE_COLUMNS) as [
      keyof FlowRunUpdate,
      (typeof UPDATE_COLUMNS)[keyof FlowRunUpdate],
    ][]) {
      const value = update[key];
      if (value === undefined) continue;
      params.push(spec.json && value !== null ? JSON.stringify(value) : value);
      sets.push(`${spec.column} = $${params.length}::${spec.cast}`);
    }
    sets.push('updated = now()');
    return (await this.affected(`UPDATE flow_run SET ${sets.join(', ')} WHERE id = $1`, params)) > 0;
  }

  /** `PATCH /flow_runs/{id}/labels`: shallow merge; false when there is no such run. */
  async mergeLabels(id: string, labels: Labels): Promise<boolean> {
    return (await this.affected(SQL.mergeLabels, [id, JSON.stringify(labels)])) > 0;
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.dataSource.query(SQL.deleteMany, [[id]])) as unknown[]).length > 0;
  }

  async deploymentExists(deploymentId: string): Promise<boolean> {
    return ((await this.dataSource.query(SQL.deploymentExists, [deploymentId])) as unknown[]).length > 0;
  }

  /** `POST /flow_runs/bulk_delete`: up to `limit` matching runs; returns their ids. */
  async deleteMatching(criteria: FlowRunCriteria, limit: number): Promise<string[]> {
    const ids = await this.matchingIds(criteria, limit);
    if (ids.length === 0) return [];
    return ((await this.dataSource.query(SQL.deleteMany, [ids])) as { id: string }[]).map((r) => r.id);
  }

  private async affected(sql: string, params: unknown[]): Promise<number> {
    const [, count] = (await this.dataSource.query(sql, params)) as [unknown, unknown];
    if (typeof count !== 'number')
      throw new Error('the database driver did not report an affected-row count');
    return count;
  }
}
