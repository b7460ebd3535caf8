import { Inject, Injectable } from '@nestjs/common';
import { Instant, type StateType } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/** One node of a flow run's graph (a task run, or the subflow run standing behind one). */
export interface FlowRunGraphNodeRow {
  readonly kind: 'flow-run' | 'task-run';
  readonly id: string;
  readonly label: string;
  readonly state_type: StateType | null;
  readonly start_time: string;
  readonly end_time: string | null;
  readonly parent_ids: string[] | null;
  readonly child_ids: string[] | null;
  readonly encapsulating_ids: string[] | null;
}

export interface FlowRunGraphArtifactRow {
  readonly id: string;
  readonly created: string;
  readonly key: string | null;
  readonly type: string | null;
  readonly data: unknown;
  readonly task_run_id: string | null;
  readonly is_latest: boolean;
}

export interface FlowRunGraphStateRow {
  readonly id: string;
  readonly timestamp: string;
  readonly type: StateType;
  readonly name: string;
}

/*
 * `GET /flow_runs/{id}/graph-v2` (upstream `flow_run_graph_v2`): the flow run's task runs (a task
 * run with a subflow behind it shows as that flow run, "flow / run"), edges from `task_inputs`
 * (`__parents__` inputs are encapsulating edges, the others parent/child), nodes ended before
 * `since` left out, ordered by start time. Serving indexes: ix_task_run__flow_run_id,
 * ix_flow_run__parent_task_run_id, ix_artifact__flow_run_id, uq_flow_run_state__flow_run_id_timestamp_desc.
 * The run's task runs and their subflow runs are read first (`tasks`, estimated right, so the
 * subflow lookup probes ix_flow_run__parent_task_run_id per task run); `task_inputs` is expanded
 * afterwards. The other way round, jsonb_each × jsonb_array_elements (100 rows each to the planner)
 * made 5 000 task runs look like 50 M rows, and the planner hashed every flow run instead (a
 * sequential scan of flow_run on small tables).
 */
const SQL = {
  window: `SELECT coalesce(start_time, expected_start_time) AS start_time, end_time FROM flow_run WHERE id = $1`,
  nodes: `WITH tasks AS MATERIALIZED (
        SELECT CASE WHEN fr.id IS NOT NULL THEN 'flow-run' ELSE 'task-run' END AS kind,
               coalesce(fr.id, tr.id) AS id,
               coalesce(f.name || ' / ' || fr.name, tr.name) AS label,
               coalesce(fr.state_type, tr.state_type) AS state_type,
               coalesce(fr.start_time, fr.expected_start_time, tr.start_time, tr.expected_start_time) AS start_time,
               coalesce(fr.end_time, tr.end_time,
                        CASE WHEN tr.state_type = 'COMPLETED' THEN tr.expected_start_time END) AS end_time,
               tr.task_inputs
        FROM task_run tr
        LEFT JOIN flow_run fr ON fr.parent_task_run_id = tr.id
        LEFT JOIN flow f ON f.id = fr.flow_id
        WHERE tr.flow_run_id = $1
          AND coalesce(fr.start_time, fr.expected_start_time, tr.start_time, tr.expected_start_time) IS NOT NULL
      ),
      edges AS (
        SELECT t.kind, t.id, t.label, t.state_type, t.start_time, t.end_time,
               CASE WHEN jsonb_typeof(argument.value->'id') = 'string' THEN (argument.value->>'id')::uuid END AS parent,
               (input.key = '__parents__') AS has_encapsulating_task
        FROM tasks t
        LEFT JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(t.task_inputs) = 'object' THEN t.task_inputs ELSE '{}'::jsonb END) AS input ON true
        LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(input.value) = 'array' THEN input.value ELSE '[]'::jsonb END) AS argument ON true
      ),
      with_encapsulating AS (
        SELECT c.id, array_agg(p.id ORDER BY p.start_time) AS encapsulating_ids
        FROM edges c JOIN edges p ON p.id = c.parent
        WHERE c.has_encapsulating_task IS TRUE GROUP BY c.id
      ),
      with_parents AS (
        SELECT c.id, array_agg(p.id ORDER BY p.start_time) AS parent_ids
        FROM edges c JOIN edges p ON p.id = c.parent
        WHERE c.has_encapsulating_task IS DISTINCT FROM TRUE GROUP BY c.id
      ),
      with_children AS (
        SELECT p.id, array_agg(c.id ORDER BY c.start_time) AS child_ids
        FROM edges p JOIN edges c ON c.parent = p.id
        WHERE c.has_encapsulating_task IS DISTINCT FROM TRUE GROUP BY p.id
      ),
      nodes AS (
        SELECT DISTINCT ON (e.id) e.kind, e.id, e.label, e.state_type, e.start_time, e.end_time,
               wp.parent_ids, wc.child_ids, we.encapsulating_ids
        FROM edges e
        LEFT JOIN with_parents wp ON wp.id = e.id
        LEFT JOIN with_children wc ON wc.id = e.id
        LEFT JOIN with_encapsulating we ON we.id = e.id
        ORDER BY e.id
      )
      SELECT kind, id, label, state_type, start_time, end_time, parent_ids, child_ids, encapsulating_ids
      FROM nodes WHERE end_time IS NULL OR end_time >= $2::timestamptz
      ORDER BY start_time, end_time LIMIT $3`,
  artifacts: `SELECT a.id, a.created, a.key, a.type, CASE WHEN a.type = 'progress' THEN a.data END AS data,
             a.task_run_id, (a.key IS NULL OR c.id IS NOT NULL) AS is_latest
      FROM artifact a LEFT JOIN artifact_collection c ON c.key = a.key AND c.latest_id = a.id
      WHERE a.flow_run_id = $1 AND a.type IS DISTINCT FROM 'result'
      ORDER BY a.created ASC LIMIT $2`,
  states: `SELECT id, timestamp, type, name FROM flow_run_state WHERE flow_run_id = $1 ORDER BY timestamp ASC`,
} as const;

@Injectable()
export class FlowRunGraphRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The run's start (or expected start) and end; null when the flow run does not exist. */
  async window(flowRunId: string): Promise<{ startTime: string | null; endTime: string | null } | null> {
    const [row] = (await this.dataSource.query(SQL.window, [flowRunId])) as {
      start_time: Date | string | null;
      end_time: Date | string | null;
    }[];
    if (row === undefined) return null;
    return { startTime: iso(row.start_time), endTime: iso(row.end_time) };
  }

  /** Up to `limit` nodes, those ended before `since` left out. */
  async nodes(flowRunId: string, since: string, limit: number): Promise<FlowRunGraphNodeRow[]> {
    const rows = (await this.dataSource.query(SQL.nodes, [flowRunId, since, limit])) as (Omit<
      FlowRunGraphNodeRow,
      'start_time' | 'end_time'
    > & { start_time: Date | string; end_time: Date | string | null })[];
    return rows.map((r) => ({ ...r, start_time: iso(r.start_time)!, end_time: iso(r.end_time) }));
  }

  async artifacts(flowRunId: string, limit: number): Promise<FlowRunGraphArtifactRow[]> {
    const rows = (await this.dataSource.query(SQL.artifacts, [flowRunId, limit])) as (Omit<
      FlowRunGraphArtifactRow,
      'created'
    > & { created: Date | string })[];
    return rows.map((r) => ({ ...r, created: iso(r.created)! }));
  }

  async states(flowRunId: string): Promise<FlowRunGraphStateRow[]> {
    const rows = (await this.dataSource.query(SQL.states, [flowRunId])) as (Omit<
      FlowRunGraphStateRow,
      'timestamp'
    > & { timestamp: Date | string })[];
    return rows.map((r) => ({ ...r, timestamp: iso(r.timestamp)! }));
  }
}

/** Timestamps as Prefect writes them (microseconds kept: the driver hands timestamptz over as text). */
function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? Instant.fromDate(value) : Instant.parse(value)).toISOString();
}
