import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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
 * The task-run recorder's writes (spec-services-events-ha §2.1): one statement per step whatever the
 * batch size (the rows travel as one jsonb parameter, so no bind-parameter limit applies).
 * 1. task runs already stored under the same (flow_run_id, task_key, dynamic_key) keep their id
 *    (uq_task_run__flow_run_id_task_key_dynamic_key);
 * 2. upsert by id, applied only when the event's state is newer than the stored one — an older
 *    state never overwrites a newer one, whatever order events arrive in (pk_task_run);
 * 3. every state row, ignoring ones already stored (pk_task_run_state, uq_…_timestamp_desc).
 */
const TASK_RUN_COLUMNS = `id uuid, flow_run_id uuid, name text, task_key text, dynamic_key text, cache_key text,
  cache_expiration timestamptz, task_version text, empirical_policy jsonb, task_inputs jsonb, tags jsonb, labels jsonb,
  run_count int, flow_run_run_count int, expected_start_time timestamptz, next_scheduled_start_time timestamptz,
  start_time timestamptz, end_time timestamptz, total_run_time float8, state_id uuid, state_type state_type,
  state_name text, state_timestamp timestamptz`;

const SQL = {
  existingIds: `SELECT t.id, r.id AS incoming_id FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, flow_run_id uuid, task_key text, dynamic_key text)
      JOIN task_run t ON t.flow_run_id = r.flow_run_id AND t.task_key = r.task_key AND t.dynamic_key = r.dynamic_key
      WHERE t.id <> r.id`,
  upsertTaskRuns: `INSERT INTO task_run (id, flow_run_id, name, task_key, dynamic_key, cache_key, cache_expiration, task_version,
        empirical_policy, task_inputs, tags, labels, run_count, flow_run_run_count, expected_start_time,
        next_scheduled_start_time, start_time, end_time, total_run_time, state_id, state_type, state_name, state_timestamp)
      SELECT id, flow_run_id, name, task_key, dynamic_key, cache_key, cache_expiration, task_version,
        coalesce(empirical_policy, '{}'), coalesce(task_inputs, '{}'), coalesce(tags, '[]'), labels, coalesce(run_count, 0),
        coalesce(flow_run_run_count, 0), expected_start_time, next_scheduled_start_time, start_time, end_time,
        make_interval(secs => coalesce(total_run_time, 0)), state_id, state_type, state_name, state_timestamp
      FROM jsonb_to_recordset($1::jsonb) AS r(${TASK_RUN_COLUMNS})
      ORDER BY id
      ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, cache_key = excluded.cache_key, cache_expiration = excluded.cache_expiration,
        task_version = excluded.task_version, empirical_policy = excluded.empirical_policy,
        task_inputs = excluded.task_inputs, tags = excluded.tags, labels = excluded.labels,
        run_count = excluded.run_count, flow_run_run_count = excluded.flow_run_run_count,
        expected_start_time = excluded.expected_start_time, next_scheduled_start_time = excluded.next_scheduled_start_time,
        start_time = excluded.start_time, end_time = excluded.end_time, total_run_time = excluded.total_run_time,
        state_id = excluded.state_id, state_type = excluded.state_type, state_name = excluded.state_name,
        state_timestamp = excluded.state_timestamp, updated = now()
      WHERE task_run.state_timestamp IS NULL OR task_run.state_timestamp < excluded.state_timestamp`,
  insertStates: `INSERT INTO task_run_state (id, task_run_id, type, name, "timestamp", message, state_details, data)
      SELECT id, task_run_id, type, name, "timestamp", message, coalesce(state_details, '{}'), data
      FROM jsonb_to_recordset($1::jsonb)
        AS s(id uuid, task_run_id uuid, type state_type, name text, "timestamp" timestamptz, message text,
             state_details jsonb, data jsonb)
      ORDER BY "timestamp"
      ON CONFLICT DO NOTHING`,
} as const;

@Injectable()
export class TaskRunRecorderRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Records a batch in one transaction; returns how many task-run rows were inserted or advanced. */
  record(runs: readonly RecordedTaskRun[], states: readonly RecordedTaskRunState[]): Promise<number> {
    if (runs.length === 0) return Promise.resolve(0);
    return this.dataSource.transaction(async (manager) => {
      const remap = await this.existingIds(manager, runs);
      const rows = runs.map((r) => ({ ...r, id: remap.get(r.id) ?? r.id }));
      const [, written] = (await manager.query(SQL.upsertTaskRuns, [JSON.stringify(rows)])) as [
        unknown,
        unknown,
      ];
      await manager.query(SQL.insertStates, [
        JSON.stringify(states.map((s) => ({ ...s, task_run_id: remap.get(s.task_run_id) ?? s.task_run_id }))),
      ]);
      return typeof written === 'number' ? written : 0;
    });
  }

  /** Incoming id → id of the row already stored under the same natural key. */
  private async existingIds(
    manager: EntityManager,
    runs: readonly RecordedTaskRun[],
  ): Promise<Map<string, string>> {
    const keyed = runs.filter((r) => r.flow_run_id !== null);
    if (keyed.length === 0) return new Map();
    const rows = (await manager.query(SQL.existingIds, [
      JSON.stringify(
        keyed.map((r) => ({
          id: r.id,
          flow_run_id: r.flow_run_id,
          task_key: r.task_key,
          dynamic_key: r.dynamic_key,
        })),
      ),
    ])) as { id: string; incoming_id: string }[];
    return new Map(rows.map((r) => [r.incoming_id, r.id]));
  }
}
