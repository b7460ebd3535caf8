import { Inject, Injectable } from '@nestjs/common';
import { Instant, type StateType } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';
import { databaseKindOf } from '../create-data-source';
import { streamRows } from '../row-stream';

/**
 * One node of a flow run's graph (its task run, or the subflow run standing behind one), as
 * FlowRunGraphRepository.eachNode hands them over in graph order: start time, then end time (open
 * ends last), then id.
 */
export interface FlowRunGraphNodeRow {
  /**
   * The node's JSON text, rendered by PostgreSQL, from `["<id>",{"kind":` up to the `end_time`
   * value (the caller closes it with the edges and artifacts); the bare id for a node left out
   * because it ended before `since`.
   */
  readonly head: string;
  /** Its task inputs as JSON text; null when it has none. */
  readonly inputs: string | null;
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
 * Who does what (issue 17, a run of 5 000 task runs, 1.8 MB of JSON): PostgreSQL orders the nodes
 * and renders each node's fixed part as JSON text, a row per node (its head, and its task inputs
 * as text when it has any); the API builds the edges from the task inputs and splices the text
 * together. Decoding seven columns per node and writing every field again took most of the API's
 * single thread; one rendered column costs it little, and the rendering runs in the database
 * backend, beside the API's thread. Expanding task_inputs in SQL as well (jsonb_each ×
 * jsonb_array_elements, self-joins for the edges) took several times the whole query; the same
 * edges in a few array look-ups take a millisecond. Rows, not the whole graph aggregated into one
 * text (sessions 7–9): a 1.4 MB value is built, copied and sent in memory the backend maps afresh
 * for each query (and the API's driver in buffers it doubles up to 2 MB), and on a virtual machine
 * every page of that faults at ~11 µs — 1 700 faults per query, which cost more than the query.
 * As rows the backend takes 300 faults and a third less CPU. The rows are handed over as they
 * arrive (streamRows), so the API can store each head off its heap and drop it (api's GraphNodes).
 * The nodes are sorted in the subquery, on its narrow rows, and rendered above the sort; the outer
 * ORDER BY names the subquery's own order, so it costs no second sort. Ordered only outside, the
 * generic plan of the prepared statement rendered every head first and sorted 1.8 MB of them.
 * PGlite still gets the rows joined into one (`nodesAsOneRow`): in process, decoding 5 000 row
 * objects cost it more (p95 ~510 ms against ~450 at 100 000 runs), and its memory is never unmapped.
 */
/** Instant's canonical ISO text, formatted by PostgreSQL (5 000 timestamps parsed and printed in
 * Node cost more than the query). */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** A row per node in graph order: its head, and its task inputs as text (null: none). */
const NODE_ROWS = `SELECT CASE WHEN $2::timestamptz IS NULL OR end_time IS NULL OR end_time >= $2 THEN
            concat('["', id_text, '",{"kind":"', kind, '","id":"', id_text, '","label":', to_json(label),
              ',"state_type":', coalesce('"' || state_type || '"', 'null'),
              ',"start_time":"', to_char(start_time AT TIME ZONE 'UTC', ${ISO_UTC}),
              '","end_time":', coalesce('"' || to_char(end_time AT TIME ZONE 'UTC', ${ISO_UTC}) || '"', 'null'))
            ELSE id_text END AS head,
          CASE WHEN jsonb_typeof(task_inputs) = 'object' AND task_inputs <> '{}' THEN task_inputs::text END AS inputs
        FROM (
          SELECT CASE WHEN fr.id IS NOT NULL THEN 'flow-run' ELSE 'task-run' END AS kind,
                 coalesce(fr.id, tr.id) AS id,
                 coalesce(fr.id, tr.id)::text AS id_text,
                 coalesce(f.name || ' / ' || fr.name, tr.name) AS label,
                 coalesce(fr.state_type, tr.state_type) AS state_type,
                 coalesce(fr.start_time, fr.expected_start_time, tr.start_time, tr.expected_start_time) AS start_time,
                 coalesce(fr.end_time, tr.end_time,
                          CASE WHEN tr.state_type = 'COMPLETED' THEN tr.expected_start_time END) AS end_time,
                 tr.task_inputs
          FROM task_run tr
          -- The join implies the NOT NULL; said, it lets the planner estimate the subflows from the
          -- partial index's predicate (a few rows to hash) instead of from the whole table (a
          -- million, so it hashed the 5 000 task runs instead: 3 ms more and 700 kB of memory).
          LEFT JOIN flow_run fr ON fr.parent_task_run_id = tr.id AND fr.parent_task_run_id IS NOT NULL
          LEFT JOIN flow f ON f.id = fr.flow_id
          WHERE tr.flow_run_id = $1
            AND coalesce(fr.start_time, fr.expected_start_time, tr.start_time, tr.expected_start_time) IS NOT NULL
          ORDER BY start_time, end_time NULLS LAST, id
        ) node
        ORDER BY start_time, end_time NULLS LAST, id`;

/** Joins the one-row form's values: JSON text never holds a raw control character. */
const HEAD_SEPARATOR = '\x1e';

const SQL = {
  window: `SELECT coalesce(start_time, expected_start_time) AS start_time, end_time FROM flow_run WHERE id = $1`,
  nodes: NODE_ROWS,
  // PGlite: the same rows as one, each column joined by HEAD_SEPARATOR in the rows' order (an
  // aggregate over an ordered subquery reads it in order).
  nodesAsOneRow: `SELECT string_agg(head, chr(30)) AS heads, string_agg(coalesce(inputs, ''), chr(30)) AS inputs
    FROM (${NODE_ROWS}) node_row`,
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

  /**
   * Visits every node of the run's graph in graph order, as the rows arrive (a run of 5 000 task
   * runs is 1.4 MB of heads: see streamRows); those ended before `since` (ISO text; null: none)
   * come as their bare id.
   */
  async eachNode(
    flowRunId: string,
    since: string | null,
    visit: (node: FlowRunGraphNodeRow) => void,
  ): Promise<void> {
    if (databaseKindOf(this.dataSource) === 'postgres') {
      await streamRows(this.dataSource, SQL.nodes, [flowRunId, since], visit);
      return;
    }
    // In process there is no socket to stream from, and PGlite's memory is never handed back, so
    // one row costs it less than 5 000 (decoding each row object was the larger part).
    const [row] = (await this.dataSource.query(SQL.nodesAsOneRow, [flowRunId, since])) as {
      heads: string | null;
      inputs: string | null;
    }[];
    if (row?.heads == null) return;
    const heads = row.heads.split(HEAD_SEPARATOR);
    const inputs = row.inputs!.split(HEAD_SEPARATOR);
    for (let k = 0; k < heads.length; k++)
      visit({ head: heads[k]!, inputs: inputs[k] === '' ? null : inputs[k]! });
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

/** A node's edges, each a list of node positions in graph order; absent: none. */
export interface GraphEdges {
  readonly parents: ReadonlyMap<number, readonly number[]>;
  readonly children: ReadonlyMap<number, readonly number[]>;
  /** Each encapsulating node once. */
  readonly encapsulating: ReadonlyMap<number, readonly number[]>;
}

/** No node: an expanded row without a parent (an empty input, or an argument that is no task run). */
const NONE = -1;

/**
 * Expands each node's task_inputs the way upstream's SQL does (a row per input and per argument of
 * it; a node without inputs, or an input that is an empty or non-array value, still one row), so
 * the edge lists come out with upstream's multiplicities: a parent or child appears once per
 * joined pair of expanded rows. Lists are in graph order of the other side (upstream orders by its
 * start time; graph order breaks its ties). `ids` are the nodes in graph order; `inputs` each node's
 * task inputs by the same position (absent: none).
 */
export function graphEdges(ids: readonly string[], inputs: readonly unknown[]): GraphEdges {
  const parents = new Map<number, number[]>();
  const children = new Map<number, number[]>();
  const encapsulating = new Map<number, number[]>();
  // Per node with inputs: its expanded rows' parent ids (null: none) and whether each row is an
  // encapsulating one.
  const rowIds = new Map<number, (string | null)[]>();
  const rowEncapsulating = new Map<number, boolean[]>();
  // The ids the inputs name, as written, and their positions: a map of only these, filled in one
  // look-up per node, costs half of a map of every node's id (5 000 fresh keys to hash and insert).
  const named = new Map<string, number>();
  for (let child = 0; child < inputs.length; child++) {
    const value = inputs[child];
    if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const ups: (string | null)[] = [];
    const encs: boolean[] = [];
    for (const key in value) {
      const enc = key === '__parents__';
      const args = (value as Record<string, unknown>)[key];
      if (!Array.isArray(args) || args.length === 0) {
        ups.push(null);
        encs.push(enc);
        continue;
      }
      for (const argument of args) {
        const id =
          argument !== null && typeof argument === 'object' && !Array.isArray(argument)
            ? (argument as Record<string, unknown>).id
            : undefined;
        if (typeof id === 'string') named.set(id, NONE);
        ups.push(typeof id === 'string' ? id : null);
        encs.push(enc);
      }
    }
    if (ups.length > 0) {
      rowIds.set(child, ups);
      rowEncapsulating.set(child, encs);
    }
  }
  if (named.size > 0) locate(named, ids);
  const rowParents = new Map<number, number[]>();
  for (const [child, ups] of rowIds)
    rowParents.set(
      child,
      ups.map((id) => (id === null ? NONE : named.get(id)!)),
    );
  const multiplicity = (node: number): number => rowParents.get(node)?.length ?? 1;
  const append = (lists: Map<number, number[]>, node: number, other: number, times: number): void => {
    const list = lists.get(node);
    if (list === undefined) lists.set(node, times === 1 ? [other] : new Array<number>(times).fill(other));
    else for (let i = 0; i < times; i++) list.push(other);
  };
  for (const [child, ups] of rowParents) {
    const encs = rowEncapsulating.get(child)!;
    for (let r = 0; r < ups.length; r++) {
      const parent = ups[r]!;
      if (parent === NONE) continue;
      if (encs[r]) {
        const list = encapsulating.get(child);
        if (list === undefined) encapsulating.set(child, [parent]);
        else if (!list.includes(parent)) list.push(parent);
        continue;
      }
      const times = multiplicity(parent);
      append(parents, child, parent, times);
      append(children, parent, child, times);
    }
  }
  const byPosition = (a: number, b: number): number => a - b;
  for (const lists of [parents, children, encapsulating]) {
    for (const list of lists.values()) if (list.length > 1) list.sort(byPosition);
  }
  return { parents, children, encapsulating };
}

/**
 * Fills in each named id's position among `ids` (NONE where it is no node). An id written other
 * than as PostgreSQL prints node ids (upper case, braces, no hyphens) is found by its canonical form.
 */
function locate(named: Map<string, number>, ids: readonly string[]): void {
  for (let k = 0; k < ids.length; k++) if (named.has(ids[k]!)) named.set(ids[k]!, k);
  const byCanonical = new Map<string, string[]>();
  for (const [text, at] of named) {
    if (at !== NONE) continue;
    const canonical = canonicalUuid(text);
    if (canonical === text) continue;
    const texts = byCanonical.get(canonical);
    if (texts === undefined) byCanonical.set(canonical, [text]);
    else texts.push(text);
  }
  if (byCanonical.size === 0) return;
  for (let k = 0; k < ids.length; k++) for (const text of byCanonical.get(ids[k]!) ?? []) named.set(text, k);
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
