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
 * ix_flow_run__subflow_parent_task_run_id (the subflows alone, hashed), ix_artifact__flow_run_id,
 * uq_flow_run_state__flow_run_id_timestamp_desc.
 *
 * PostgreSQL reads the nodes;
 * the edges are built here, in graphNodes. Expanding task_inputs in SQL (jsonb_each ×
 * jsonb_array_elements, then three self-joins of the expanded rows, each sorted and aggregated)
 * took 260–390 ms of the database's CPU for a run of 5 000 task runs on the loaded 2-core machine
 * (issue 17); the same edges in a few Map look-ups take a few milliseconds.
 */
/** Instant's canonical ISO text, formatted by PostgreSQL (5 000 timestamps parsed and printed in
 * Node cost more than the query). */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

const SQL = {
  window: `SELECT coalesce(start_time, expected_start_time) AS start_time, end_time FROM flow_run WHERE id = $1`,
  nodes: `SELECT CASE WHEN fr.id IS NOT NULL THEN 'flow-run' ELSE 'task-run' END AS kind,
               coalesce(fr.id, tr.id) AS id,
               coalesce(f.name || ' / ' || fr.name, tr.name) AS label,
               coalesce(fr.state_type, tr.state_type) AS state_type,
               to_char(coalesce(fr.start_time, fr.expected_start_time, tr.start_time, tr.expected_start_time)
                 AT TIME ZONE 'UTC', ${ISO_UTC}) AS start_time,
               to_char(coalesce(fr.end_time, tr.end_time,
                        CASE WHEN tr.state_type = 'COMPLETED' THEN tr.expected_start_time END) AT TIME ZONE 'UTC',
                 ${ISO_UTC}) AS end_time,
               nullif(tr.task_inputs, '{}') AS task_inputs
        FROM task_run tr
        LEFT JOIN flow_run fr ON fr.parent_task_run_id = tr.id
        LEFT JOIN flow f ON f.id = fr.flow_id
        WHERE tr.flow_run_id = $1
          AND coalesce(fr.start_time, fr.expected_start_time, tr.start_time, tr.expected_start_time) IS NOT NULL`,
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

  /** Up to `limit` nodes, those ended before `since` (canonical ISO text; null: none) left out. */
  async nodes(flowRunId: string, since: string | null, limit: number): Promise<FlowRunGraphNodeRow[]> {
    const rows = (await this.dataSource.query(SQL.nodes, [flowRunId])) as GraphTaskRow[];
    return graphNodes(rows, since === null ? null : Instant.parse(since).toISOString(), limit);
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

/** One task run (or the subflow run behind it) of the graph, with its raw task inputs. */
export interface GraphTaskRow {
  readonly kind: 'flow-run' | 'task-run';
  readonly id: string;
  readonly label: string;
  readonly state_type: StateType | null;
  /** Canonical ISO text (fixed width, so text order is time order). */
  readonly start_time: string;
  readonly end_time: string | null;
  readonly task_inputs: unknown;
}

/** One expanded (input, argument) pair of a node: upstream's `edges` row. */
interface EdgeRow {
  readonly parent: string | null;
  readonly encapsulating: boolean | null;
}

/** The one expanded row of a node without inputs (shared: most nodes have none). */
const NO_INPUTS: readonly EdgeRow[] = Object.freeze([{ parent: null, encapsulating: null }]);

/**
 * Expands each node's task_inputs the way upstream's SQL does (a row per input and per argument of
 * it; a node without inputs, or an input that is an empty or non-array value, still one row), so
 * the edge lists come out with upstream's ordering and multiplicities: a parent, child or
 * encapsulating id appears once per joined pair of expanded rows, ordered by the other side's start
 * time. Then: nodes ended before `since` dropped, sorted by (start_time, end_time; open ends last;
 * then id, where the SQL left ties unordered), at most `limit`.
 */
export function graphNodes(
  tasks: readonly GraphTaskRow[],
  since: string | null,
  limit: number,
): FlowRunGraphNodeRow[] {
  const edges = new Map<string, readonly EdgeRow[]>();
  const byId = new Map<string, GraphTaskRow>();
  for (const task of tasks) {
    byId.set(task.id, task);
    const rows: EdgeRow[] = [];
    const inputs = task.task_inputs;
    if (inputs !== null && typeof inputs === 'object' && !Array.isArray(inputs)) {
      for (const [key, value] of Object.entries(inputs as Record<string, unknown>)) {
        const encapsulating = key === '__parents__';
        if (!Array.isArray(value) || value.length === 0) {
          rows.push({ parent: null, encapsulating });
          continue;
        }
        for (const argument of value) {
          const id =
            argument !== null && typeof argument === 'object' && !Array.isArray(argument)
              ? (argument as Record<string, unknown>).id
              : undefined;
          rows.push({ parent: typeof id === 'string' ? canonicalUuid(id) : null, encapsulating });
        }
      }
    }
    const expanded = rows.length === 0 ? NO_INPUTS : rows;
    const earlier = edges.get(task.id);
    edges.set(task.id, earlier === undefined ? expanded : earlier.concat(expanded));
  }
  const multiplicity = (id: string): number => edges.get(id)?.length ?? 0;
  const byStart = (a: string, b: string): number => {
    const x = byId.get(a)!.start_time;
    const y = byId.get(b)!.start_time;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  const encapsulating = new Map<string, string[]>();
  for (const [child, rows] of edges) {
    for (const { parent, encapsulating: enc } of rows) {
      if (parent === null || !byId.has(parent)) continue;
      const times = multiplicity(parent);
      const ups = enc === true ? encapsulating : parents;
      const upList = ups.get(child) ?? [];
      for (let i = 0; i < times; i++) upList.push(parent);
      ups.set(child, upList);
      if (enc !== true) {
        const downList = children.get(parent) ?? [];
        for (let i = 0; i < times; i++) downList.push(child);
        children.set(parent, downList);
      }
    }
  }
  const nodes: FlowRunGraphNodeRow[] = [];
  for (const task of byId.values()) {
    if (since !== null && task.end_time !== null && task.end_time < since) continue;
    nodes.push({
      kind: task.kind,
      id: task.id,
      label: task.label,
      state_type: task.state_type,
      start_time: task.start_time,
      end_time: task.end_time,
      parent_ids: parents.get(task.id)?.sort(byStart) ?? null,
      child_ids: children.get(task.id)?.sort(byStart) ?? null,
      encapsulating_ids: encapsulating.get(task.id)?.sort(byStart) ?? null,
    });
  }
  nodes.sort((a, b) =>
    a.start_time !== b.start_time
      ? a.start_time < b.start_time
        ? -1
        : 1
      : a.end_time === b.end_time
        ? a.id < b.id
          ? -1
          : a.id > b.id
            ? 1
            : 0
        : a.end_time === null
          ? 1
          : b.end_time === null
            ? -1
            : a.end_time < b.end_time
              ? -1
              : 1,
  );
  return nodes.slice(0, limit);
}

/** A uuid as PostgreSQL prints it (`::uuid` accepts braces, no hyphens and upper case). */
function canonicalUuid(text: string): string {
  const hex = text.replace(/[{}-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return text;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Timestamps as Prefect writes them (microseconds kept: the driver hands timestamptz over as text). */
function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? Instant.fromDate(value) : Instant.parse(value)).toISOString();
}
