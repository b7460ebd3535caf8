import { SqlMigration } from './sql-migration';

/**
 * Indexes for the UI's reads at a million flow runs (issue 17, tools/bench `bench:scale`). Each
 * REPLACES a single-column index of the core schema by a wider one that serves everything the old
 * one did, so writes maintain no more indexes than before:
 *
 * - ix_flow_run__expected_start_time_desc_id / ix_task_run__expected_start_time_desc_id, replacing
 *   ix_*__expected_start_time_desc. Key (expected_start_time DESC, id DESC) is the whole
 *   EXPECTED_START_TIME_DESC / _ASC order (`ORDER BY expected_start_time DESC, id DESC`, read
 *   backwards for ASC), so a deep page (`SELECT flow_run.id … ORDER BY … LIMIT 100 OFFSET 49900`,
 *   filters/flow-run-list.query.ts) walks the index alone. INCLUDE (start_time, state_type,
 *   state_name, total_run_time, state_timestamp) are the columns of
 *   `POST /flow_runs/history`, `/task_runs/history` (run-history.repository.ts: the window on
 *   expected_start_time, counts per state, estimated run time and lateness) and
 *   `POST /flow_runs/lateness`, which then read no heap page (index-only scans).
 * - ix_flow_run__coalesce_start_expected_desc_id, replacing both
 *   ix_flow_run__coalesce_start_time_expected_start_time_asc and _desc: key
 *   (COALESCE(start_time, expected_start_time) DESC, id DESC) is the UI's default START_TIME_DESC
 *   order (and START_TIME_ASC read backwards), INCLUDE (start_time, expected_start_time, state_type)
 *   lets a deep START_TIME page and the state filters the UI sends with it (FAILED + CRASHED:
 *   `state_type = ANY($1)` checked while walking the index) run as index-only scans.
 * - ix_events__occurred_id, rebuilt with INCLUDE (event), replacing it and ix_events__occurred (whose
 *   key it starts with): `POST /events/count-by/time|day|event` over a window
 *   (`… FROM events WHERE occurred BETWEEN $1 AND $2 GROUP BY <bucket | event>`,
 *   event-filter.sql.ts) read ~320 000 index entries a day instead of as many heap rows; db-vacuum's
 *   `occurred < $1` batches and the events page's `ORDER BY occurred, id` use it as before. One
 *   index fewer for the event-persister to maintain.
 */
export class ScaleReadIndexes1795300600000 extends SqlMigration {
  name = 'ScaleReadIndexes1795300600000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE INDEX ix_flow_run__expected_start_time_desc_id ON flow_run (expected_start_time DESC, id DESC)
    INCLUDE (start_time, state_type, state_name, total_run_time, state_timestamp)`,
  `DROP INDEX ix_flow_run__expected_start_time_desc`,
  `CREATE INDEX ix_task_run__expected_start_time_desc_id ON task_run (expected_start_time DESC, id DESC)
    INCLUDE (start_time, state_type, state_name, total_run_time, state_timestamp)`,
  `DROP INDEX ix_task_run__expected_start_time_desc`,
  `CREATE INDEX ix_flow_run__coalesce_start_expected_desc_id
    ON flow_run ((COALESCE(start_time, expected_start_time)) DESC, id DESC)
    INCLUDE (start_time, expected_start_time, state_type)`,
  `DROP INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc`,
  `DROP INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc`,
  `CREATE INDEX ix_events__occurred_id_event ON events (occurred, id) INCLUDE (event)`,
  `DROP INDEX ix_events__occurred_id`,
  `DROP INDEX ix_events__occurred`,
  `ALTER INDEX ix_events__occurred_id_event RENAME TO ix_events__occurred_id`,
];

const DOWN = [
  `CREATE INDEX ix_events__occurred ON events (occurred)`,
  `CREATE INDEX ix_events__occurred_id_plain ON events (occurred, id)`,
  `DROP INDEX ix_events__occurred_id`,
  `ALTER INDEX ix_events__occurred_id_plain RENAME TO ix_events__occurred_id`,
  `CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc ON flow_run ((COALESCE(start_time, expected_start_time)) ASC)`,
  `CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc ON flow_run ((COALESCE(start_time, expected_start_time)) DESC)`,
  `DROP INDEX ix_flow_run__coalesce_start_expected_desc_id`,
  `CREATE INDEX ix_task_run__expected_start_time_desc ON task_run (expected_start_time DESC)`,
  `DROP INDEX ix_task_run__expected_start_time_desc_id`,
  `CREATE INDEX ix_flow_run__expected_start_time_desc ON flow_run (expected_start_time DESC)`,
  `DROP INDEX ix_flow_run__expected_start_time_desc_id`,
];
