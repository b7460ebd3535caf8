import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/** One task run as its newest event in a batch describes it (timestamps as ISO text). */
export interface RecordedTaskRun {
  id: string;
  flow_run_id: string | null;
  name: string;
  task_key: string;
  dynamic_key: string;
  cache_key: string | null;
  cache_expiration: string | null;
  task_version: string | null;
  empirical_policy: unknown;
  task_inputs: unknown;
  tags: unknown;
  labels: unknown;
  run_count: number;
  flow_run_run_count: number;
  expected_start_time: string | null;
  next_scheduled_start_time: string | null;
  start_time: string | null;
  end_time: string | null;
  total_run_time: number;
  state_id: string;
  state_type: string;
  state_name: string;
  state_timestamp: string;
}

/** One task-run state, from one event. */
export interface RecordedTaskRunState {
  id: string;
  task_run_id: string;
  type: string;
  name: string;
  timestamp: string;
  message: string | null;
  state_details: unknown;
  data: unknown;
}

/*
 * The task-run recorder's write (spec-services-events-ha §2.1) as ONE statement whatever the batch
 * size (the rows travel as two jsonb parameters, so no bind-parameter limit applies), which is its
 * own transaction: one round trip (one call into PGlite) instead of BEGIN, three statements, COMMIT.
 * 1. `remap`: task runs already stored under the same (flow_run_id, task_key, dynamic_key) keep their
 *    id (uq_task_run__flow_run_id_task_key_dynamic_key);
 * 2. `upserted`: upsert by id, applied only when the event's state is newer than the stored one — an
 *    older state never overwrites a newer one, whatever order events arrive in (pk_task_run);
 * 3. `states`: every state row, ignoring ones already stored (pk_task_run_state, uq_…_timestamp_desc).
 *    Its foreign key to task_run is checked at the end of the statement, after step 2's rows exist.
 */
const TASK_RUN_COLUMNS = `id uuid, flow_run_id uuid, name text, task_key text, dynamic_key text, cache_key text,
  cache_expiration timestamptz, task_version text, empirical_policy jsonb, task_inputs jsonb, tags jsonb, labels jsonb,
  run_count int, flow_run_run_count int, expected_start_time timestamptz, next_scheduled_start_time timestamptz,
  start_time timestamptz, end_time timestamptz, total_run_time float8, state_id uuid, state_type state_type,
  state_name text, state_timestamp timestamptz`;

/** The batch statement of `record` (exported for its plan test). */
export const TASK_RUN_RECORD_SQL = `
WITH incoming AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${TASK_RUN_COLUMNS})
), remap AS (
  -- One index probe per incoming run (uq_task_run__flow_run_id_task_key_dynamic_key). A plain join
  -- lets the planner, which guesses 100 rows for the recordset, hash-join a sequential scan of the
  -- whole task_run table into every batch.
  SELECT i.id AS incoming_id, t.id
    FROM incoming i
    CROSS JOIN LATERAL (
      SELECT id FROM task_run
       WHERE flow_run_id = i.flow_run_id AND task_key = i.task_key AND dynamic_key = i.dynamic_key
       LIMIT 1
    ) t
   WHERE t.id <> i.id
), upserted AS (
  INSERT INTO task_run (id, flow_run_id, name, task_key, dynamic_key, cache_key, cache_expiration, task_version,
      empirical_policy, task_inputs, tags, labels, run_count, flow_run_run_count, expected_start_time,
      next_scheduled_start_time, start_time, end_time, total_run_time, state_id, state_type, state_name, state_timestamp)
    SELECT coalesce(remap.id, i.id), i.flow_run_id, i.name, i.task_key, i.dynamic_key, i.cache_key, i.cache_expiration,
      i.task_version, coalesce(i.empirical_policy, '{}'), coalesce(i.task_inputs, '{}'), coalesce(i.tags, '[]'), i.labels,
      coalesce(i.run_count, 0), coalesce(i.flow_run_run_count, 0), i.expected_start_time, i.next_scheduled_start_time,
      i.start_time, i.end_time, make_interval(secs => coalesce(i.total_run_time, 0)), i.state_id, i.state_type,
      i.state_name, i.state_timestamp
    FROM incoming i LEFT JOIN remap ON remap.incoming_id = i.id
    ORDER BY 1
    ON CONFLICT (id) DO UPDATE SET
      name = excluded.name, cache_key = excluded.cache_key, cache_expiration = excluded.cache_expiration,
      task_version = excluded.task_version, empirical_policy = excluded.empirical_policy,
      task_inputs = excluded.task_inputs, tags = excluded.tags, labels = excluded.labels,
      run_count = excluded.run_count, flow_run_run_count = excluded.flow_run_run_count,
      expected_start_time = excluded.expected_start_time, next_scheduled_start_time = excluded.next_scheduled_start_time,
      start_time = excluded.start_time, end_time = excluded.end_time, total_run_time = excluded.total_run_time,
      state_id = excluded.state_id, state_type = excluded.state_type, state_name = excluded.state_name,
      state_timestamp = excluded.state_timestamp, updated = now()
    WHERE task_run.state_timestamp IS NULL OR task_run.state_timestamp < excluded.state_timestamp
    RETURNING 1
), states AS (
  INSERT INTO task_run_state (id, task_run_id, type, name, "timestamp", message, state_details, data)
    SELECT s.id, coalesce(remap.id, s.task_run_id), s.type, s.name, s."timestamp", s.message,
      coalesce(s.state_details, '{}'), s.data
    FROM jsonb_to_recordset($2::jsonb)
      AS s(id uuid, task_run_id uuid, type state_type, name text, "timestamp" timestamptz, message text,
           state_details jsonb, data jsonb)
    LEFT JOIN remap ON remap.incoming_id = s.task_run_id
    ORDER BY s."timestamp"
    ON CONFLICT DO NOTHING
)
SELECT count(*)::int AS written FROM upserted`;

@Injectable()
export class TaskRunRecorderRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Records a batch in one statement (atomic); returns how many task-run rows were inserted or advanced. */
  async record(runs: readonly RecordedTaskRun[], states: readonly RecordedTaskRunState[]): Promise<number> {
    if (runs.length === 0) return 0;
    const rows = (await this.dataSource.query(TASK_RUN_RECORD_SQL, [
      JSON.stringify(runs),
      JSON.stringify(states),
    ])) as {
      written: number;
    }[];
    return rows[0]?.written ?? 0;
  }
}
