import { STATE_TYPES, type StateType, TERMINAL_STATE_TYPES } from '@orrery/domain';
import { ESTIMATED_COUNT_FROM, tableRowEstimateSql } from '../filters/list.queries';

/** Something that runs a parameterised statement: a DataSource, an EntityManager or a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface RunsPerState {
  /** Every state type, 0 included. */
  readonly counts: ReadonlyMap<StateType, number>;
  /** True when the terminal states' counts are PostgreSQL's estimate rather than exact. */
  readonly estimated: boolean;
}

const ACTIVE_STATE_TYPES = STATE_TYPES.filter((type) => !TERMINAL_STATE_TYPES.has(type));

/*
 * Runs per current state type, for the metrics gauges (issue 15), cheap at any table size.
 * - Below ESTIMATED_COUNT_FROM rows (the table's own estimate): one exact `GROUP BY`, an
 *   index-only scan of ix_<table>__state_type.
 * - Above it: the active states (scheduled, pending, running, paused, cancelling — the ones an
 *   operator watches, and few rows however large the table) are still counted exactly through the
 *   same index; the terminal states, which hold nearly every row of a big table and only grow, are
 *   the table's row estimate times their frequency in the planner's statistics (pg_stats, refreshed by
 *   autovacuum's ANALYZE). Counting five million completed task runs exactly reads the whole index
 *   (about 0.7 s) on every scrape interval; the estimate reads two catalog rows.
 */
const SQL = {
  estimate: (table: string) => `SELECT ${tableRowEstimateSql(table)} AS n`,
  all: (table: string) => `SELECT state_type::text AS state_type, count(*)::bigint AS count
      FROM ${table} GROUP BY state_type`,
  active: (table: string) => `SELECT state_type::text AS state_type, count(*)::bigint AS count
      FROM ${table} WHERE state_type = ANY($1::state_type[]) GROUP BY state_type`,
  frequencies: `SELECT m.value AS state_type, m.frequency
      FROM pg_stats s
      CROSS JOIN LATERAL unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS m(value, frequency)
      WHERE s.schemaname = current_schema() AND s.tablename = $1 AND s.attname = 'state_type'`,
} as const;

export async function countRunsPerState(
  db: Queryable,
  table: 'flow_run' | 'task_run',
  estimateFrom = ESTIMATED_COUNT_FROM,
): Promise<RunsPerState> {
  const counts = new Map<StateType, number>(STATE_TYPES.map((type) => [type, 0]));
  const put = (rows: { state_type: string | null; count: string | number }[]): void => {
    for (const row of rows) {
      if (row.state_type !== null && counts.has(row.state_type as StateType)) {
        counts.set(row.state_type as StateType, Number(row.count));
      }
    }
  };
  const [{ n }] = (await db.query(SQL.estimate(table))) as { n: string | number }[];
  const rows = Number(n);
  if (rows < estimateFrom) {
    put((await db.query(SQL.all(table))) as { state_type: string | null; count: string }[]);
    return { counts, estimated: false };
  }
  put(
    (await db.query(SQL.active(table), [ACTIVE_STATE_TYPES])) as {
      state_type: string | null;
      count: string;
    }[],
  );
  const frequencies = (await db.query(SQL.frequencies, [table])) as {
    state_type: string;
    frequency: number;
  }[];
  for (const { state_type, frequency } of frequencies) {
    if (TERMINAL_STATE_TYPES.has(state_type as StateType)) {
      counts.set(state_type as StateType, Math.round(Number(frequency) * rows));
    }
  }
  return { counts, estimated: true };
}
