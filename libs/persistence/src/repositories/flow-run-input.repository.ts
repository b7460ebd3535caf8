import { Inject, Injectable } from '@nestjs/common';
import { Instant, uuid7 } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { arrayLiteral, escapeLike } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

export interface FlowRunInputRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly flow_run_id: string;
  readonly key: string;
  readonly value: string;
  readonly sender: string | null;
}

interface FlowRunInputRow {
  id: string;
  created: string;
  updated: string;
  flow_run_id: string;
  key: string;
  value: string;
  sender: string | null;
}

export type CreateFlowRunInputResult = 'created' | 'duplicate-key' | 'flow-run-not-found';

const COLUMNS = 'id, created, updated, flow_run_id, key, value, sender';

/*
 * Flow run inputs (pause/suspend `receive_input`, `send_input`). Serving index for every statement:
 * uq_flow_run_input__flow_run_id_key (flow_run_id first).
 */
const SQL = {
  /*
   * Tells "no such run" from "key taken" in one round trip: the insert only happens when the run
   * exists, and a taken key inserts nothing.
   */
  create: `WITH run AS (SELECT id FROM flow_run WHERE id = $2),
      inserted AS (
        INSERT INTO flow_run_input (id, flow_run_id, key, value, sender)
        SELECT $1, run.id, $3, $4, $5 FROM run
        ON CONFLICT (flow_run_id, key) DO NOTHING
        RETURNING id
      )
      SELECT (SELECT count(*) FROM run)::int AS runs, (SELECT count(*) FROM inserted)::int AS inserted`,
  /** Case-sensitive prefix (Prefect's LIKE), oldest first. */
  filter: `SELECT ${COLUMNS} FROM flow_run_input
      WHERE flow_run_id = $1 AND key LIKE $2 AND key <> ALL($3::text[])
      ORDER BY created ASC, id ASC LIMIT $4`,
  read: `SELECT ${COLUMNS} FROM flow_run_input WHERE flow_run_id = $1 AND key = $2`,
  delete: `DELETE FROM flow_run_input WHERE flow_run_id = $1 AND key = $2`,
} as const;

function toRecord(row: FlowRunInputRow): FlowRunInputRecord {
  return { ...row, created: Instant.parse(row.created), updated: Instant.parse(row.updated) };
}

@Injectable()
export class FlowRunInputRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async create(input: {
    flowRunId: string;
    key: string;
    value: string;
    sender: string | null;
  }): Promise<CreateFlowRunInputResult> {
    const [row] = (await this.dataSource.query(SQL.create, [
      uuid7(),
      input.flowRunId,
      input.key,
      input.value,
      input.sender,
    ])) as { runs: number; inserted: number }[];
    if (row === undefined || row.runs === 0) return 'flow-run-not-found';
    return row.inserted === 1 ? 'created' : 'duplicate-key';
  }

  /** Inputs whose key starts with `prefix` (matched literally), minus `excludeKeys`, oldest first. */
  async filter(
    flowRunId: string,
    query: { prefix: string; limit: number; excludeKeys: readonly string[] },
  ): Promise<FlowRunInputRecord[]> {
    const rows = (await this.dataSource.query(SQL.filter, [
      flowRunId,
      `${escapeLike(query.prefix)}%`,
      arrayLiteral(query.excludeKeys),
      query.limit,
    ])) as FlowRunInputRow[];
    return rows.map(toRecord);
  }

  async read(flowRunId: string, key: string): Promise<FlowRunInputRecord | null> {
    const [row] = (await this.dataSource.query(SQL.read, [flowRunId, key])) as FlowRunInputRow[];
    return row === undefined ? null : toRecord(row);
  }

  /** Returns false when the run has no input under that key. */
  async delete(flowRunId: string, key: string): Promise<boolean> {
    const [, count] = (await this.dataSource.query(SQL.delete, [flowRunId, key])) as [unknown, unknown];
    if (typeof count !== 'number')
      throw new Error('the database driver did not report an affected-row count');
    return count > 0;
  }
}
