import { Inject, Injectable } from '@nestjs/common';
import { type FlowCriteria, type FlowSort, Instant, type ListRequest, uuid7 } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { flowCountQuery, flowListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

export type Labels = Record<string, string | number | boolean>;

export interface FlowRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly tags: string[];
  readonly labels: Labels | null;
}

interface FlowRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  tags: string[];
  labels: Labels | null;
}

const COLUMNS = 'id, created, updated, name, tags, labels';
const QUALIFIED_COLUMNS = 'flow.id, flow.created, flow.updated, flow.name, flow.tags, flow.labels';

/*
 * Flows. Serving indexes: uq_flow__name (create, read by name), pk_flow.
 * Deleting a flow cascades to its flow runs and deployments (fk ON DELETE CASCADE).
 */
const SQL = {
  insertIfAbsent: `INSERT INTO flow (id, name, tags, labels) VALUES ($1, $2, $3::jsonb, $4::jsonb)
      ON CONFLICT (name) DO NOTHING
      RETURNING ${COLUMNS}`,
  byName: `SELECT ${COLUMNS} FROM flow WHERE name = $1`,
  byId: `SELECT ${COLUMNS} FROM flow WHERE id = $1`,
  updateTags: `UPDATE flow SET tags = $2::jsonb, updated = now() WHERE id = $1`,
  delete: `DELETE FROM flow WHERE id = $1`,
  deleteMany: `DELETE FROM flow WHERE id = ANY($1::uuid[]) RETURNING id`,
} as const;

export function toFlowRecord(row: FlowRow): FlowRecord {
  return { ...row, created: Instant.parse(row.created), updated: Instant.parse(row.updated) };
}

@Injectable()
export class FlowRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Creates the flow, or returns the existing one of that name untouched (Prefect never modifies it). */
  async createOrGet(flow: {
    name: string;
    tags: string[];
    labels: Labels | null;
  }): Promise<{ flow: FlowRecord; created: boolean }> {
    const inserted = (await this.dataSource.query(SQL.insertIfAbsent, [
      uuid7(),
      flow.name,
      JSON.stringify(flow.tags),
      flow.labels === null ? null : JSON.stringify(flow.labels),
    ])) as FlowRow[];
    if (inserted[0] !== undefined) return { flow: toFlowRecord(inserted[0]), created: true };
    const existing = await this.getByName(flow.name);
    if (existing === null) throw new Error(`flow ${JSON.stringify(flow.name)} vanished while being created`);
    return { flow: existing, created: false };
  }

  async get(id: string): Promise<FlowRecord | null> {
    const [row] = (await this.dataSource.query(SQL.byId, [id])) as FlowRow[];
    return row === undefined ? null : toFlowRecord(row);
  }

  async getByName(name: string): Promise<FlowRecord | null> {
    const [row] = (await this.dataSource.query(SQL.byName, [name])) as FlowRow[];
    return row === undefined ? null : toFlowRecord(row);
  }

  /** Returns false when there is no such flow. */
  async updateTags(id: string, tags: string[]): Promise<boolean> {
    return (await this.affected(SQL.updateTags, [id, JSON.stringify(tags)])) > 0;
  }

  /** Returns false when there is no such flow. */
  async delete(id: string): Promise<boolean> {
    return (await this.affected(SQL.delete, [id])) > 0;
  }

  /** `POST /flows/filter`: one statement, whatever the filter (see filters/list.queries.ts). */
  async list(request: ListRequest<FlowCriteria, FlowSort>): Promise<FlowRecord[]> {
    const { sql, params } = flowListQuery(request, QUALIFIED_COLUMNS);
    return ((await this.dataSource.query(sql, params)) as FlowRow[]).map(toFlowRecord);
  }

  async count(criteria: FlowCriteria): Promise<number> {
    const { sql, params } = flowCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  /** `POST /flows/bulk_delete`: deletes up to `limit` matching flows; returns their ids. */
  async deleteMatching(criteria: FlowCriteria, limit: number): Promise<string[]> {
    const { sql, params } = flowListQuery({ ...criteria, sort: 'NAME_ASC', limit, offset: 0 }, 'flow.id');
    const ids = ((await this.dataSource.query(sql, params)) as { id: string }[]).map((r) => r.id);
    if (ids.length === 0) return [];
    const deleted = (await this.dataSource.query(SQL.deleteMany, [ids])) as [{ id: string }[], number];
    return deleted[0].map((r) => r.id);
  }

  private async affected(sql: string, params: unknown[]): Promise<number> {
    const [, count] = (await this.dataSource.query(sql, params)) as [unknown, unknown];
    if (typeof count !== 'number')
      throw new Error('the database driver did not report an affected-row count');
    return count;
  }
}
