import { Inject, Injectable } from '@nestjs/common';
import { Instant, type ListRequest, type LogCriteria, type LogSort, uuid7 } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { logListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

/** A validated `LogCreate`. */
export interface LogInsert {
  readonly name: string;
  readonly level: number;
  readonly message: string;
  readonly timestamp: Instant;
  readonly flow_run_id: string | null;
  readonly task_run_id: string | null;
}

export interface LogRecord extends LogInsert {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
}

/** Where a page of a run's logs ended: the next page starts strictly after it. */
export interface LogCursor {
  /** PostgreSQL's own text of the timestamp, bound back unchanged so the comparison is exact. */
  readonly timestamp: string;
  readonly id: string;
}

interface LogRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  level: number;
  message: string;
  timestamp: string;
  flow_run_id: string | null;
  task_run_id: string | null;
}

const COLUMNS =
  'log.id, log.created, log.updated, log.name, log.level, log.message, log."timestamp", log.flow_run_id, log.task_run_id';

/** Values bound per inserted row: id, name, level, message, timestamp, flow_run_id, task_run_id. */
const PARAMETERS_PER_ROW = 7;
/**
 * Rows per multi-row INSERT (well under the wire protocol's 65 535 bind parameters, 7 per row).
 * Small on purpose: embedded PGlite runs each statement on the API's own thread, so a 16 MB batch
 * (~100 000 logs) is written as ~100 statements with a turn of the event loop between them, never
 * as one multi-second statement.
 */
export const LOG_INSERT_BATCH_SIZE = 1000;

/*
 * Logs. Serving indexes: pk_log; `/logs/filter` → ix_log__timestamp, ix_log__flow_run_id_timestamp,
 * ix_log__level, ix_log__task_run_id (filters/log.where.ts); the download's keyset pages →
 * ix_log__flow_run_id_timestamp.
 */
const SQL = {
  /** One page of a run's logs after a cursor, oldest first (`(timestamp, id)` keyset, no OFFSET). */
  pageOfRun: `SELECT ${COLUMNS} FROM log
      WHERE log.flow_run_id = $1 AND (log."timestamp", log.id) > ($2::timestamptz, $3::uuid)
      ORDER BY log."timestamp" ASC, log.id ASC LIMIT $4`,
  firstPageOfRun: `SELECT ${COLUMNS} FROM log
      WHERE log.flow_run_id = $1
      ORDER BY log."timestamp" ASC, log.id ASC LIMIT $2`,
  flowRunName: `SELECT name FROM flow_run WHERE id = $1`,
} as const;

/** `INSERT INTO log … VALUES (…), (…), …` for `rows` rows. */
function insertStatement(rows: number, returning: boolean): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const b = r * PARAMETERS_PER_ROW;
    tuples.push(
      `($${b + 1}::uuid, $${b + 2}, $${b + 3}::smallint, $${b + 4}, $${b + 5}::timestamptz, $${b + 6}::uuid, $${b + 7}::uuid)`,
    );
  }
  return (
    `INSERT INTO log (id, name, level, message, "timestamp", flow_run_id, task_run_id) VALUES ${tuples.join(', ')}` +
    (returning ? ` RETURNING ${COLUMNS.replace(/log\./g, '')}` : '')
  );
}

/** PostgreSQL rejects NUL in text; Prefect strips it rather than losing the whole record. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.split('\u0000').join('') : text;
}

export function toLogRecord(row: LogRow): LogRecord {
  return {
    ...row,
    level: Number(row.level),
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    timestamp: Instant.parse(row.timestamp),
  };
}

@Injectable()
export class LogRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * `POST /logs/`: one multi-row INSERT per LOG_INSERT_BATCH_SIZE logs (yielding to the event loop
   * in between), all in one transaction, ids minted here as UUIDv7. Returns the written rows only when `returnRows` (to publish them).
   */
  async createMany(logs: readonly LogInsert[], options: { returnRows: boolean }): Promise<LogRecord[]> {
    if (logs.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      const written: LogRecord[] = [];
      for (let start = 0; start < logs.length; start += LOG_INSERT_BATCH_SIZE) {
        const batch = logs.slice(start, start + LOG_INSERT_BATCH_SIZE);
        const params: unknown[] = [];
        for (const log of batch) {
          params.push(
            uuid7(),
            withoutNul(log.name),
            log.level,
            withoutNul(log.message),
            log.timestamp.toISOString(),
            log.flow_run_id,
            log.task_run_id,
          );
        }
        const result: unknown = await manager.query(
          insertStatement(batch.length, options.returnRows),
          params,
        );
        if (options.returnRows) written.push(...(result as LogRow[]).map(toLogRecord));
        if (start + LOG_INSERT_BATCH_SIZE < logs.length) await new Promise((r) => setImmediate(r));
      }
      return written;
    });
  }

  /** `POST /logs/filter`: one statement (filters/list.queries.ts). */
  async list(request: ListRequest<LogCriteria, LogSort>): Promise<LogRecord[]> {
    const { sql, params } = logListQuery(request, COLUMNS);
    return ((await this.dataSource.query(sql, params)) as LogRow[]).map(toLogRecord);
  }

  /** The next `limit` logs of a flow run after `after` (from the start when null), oldest first. */
  async pageOfRun(
    flowRunId: string,
    after: LogCursor | null,
    limit: number,
  ): Promise<{ logs: LogRecord[]; next: LogCursor | null }> {
    const rows = (
      after === null
        ? await this.dataSource.query(SQL.firstPageOfRun, [flowRunId, limit])
        : await this.dataSource.query(SQL.pageOfRun, [flowRunId, after.timestamp, after.id, limit])
    ) as LogRow[];
    const last = rows[rows.length - 1];
    return {
      logs: rows.map(toLogRecord),
      next: last === undefined ? null : { timestamp: last.timestamp, id: last.id },
    };
  }

  /** The run's name (for the download's file name), or null when there is no such flow run. */
  async flowRunName(flowRunId: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(SQL.flowRunName, [flowRunId])) as { name: string }[];
    return row?.name ?? null;
  }
}
