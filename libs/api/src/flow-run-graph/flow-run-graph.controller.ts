import { Controller, Get, Header, Optional, Param, Query } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant, laxInstantOrNull, STATE_TYPES } from '@orrery/domain';
import { FlowRunGraphRepository, TaskRunRepository } from '@orrery/persistence';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { taskRunResponse } from '../task-runs/task-run.serializer';
import { ApiWireResponse, wire, wireModel, type WireOf } from '../openapi/wire-schema';
import { STATE } from '../states/state.serializer';

/** v1: a task run, the input references it was created with (deduplicated) and its state. */
const DEPENDENCY_RESULT = wireModel('DependencyResult', {
  id: wire.uuid(),
  name: wire.string(),
  // Stored as the client sent them: task-run results, but also parameters and constants.
  upstream_dependencies: wire.array(wire.dict()),
  state: wire.nullable(STATE),
  expected_start_time: wire.nullable(wire.dateTime()),
  start_time: wire.nullable(wire.dateTime()),
  end_time: wire.nullable(wire.dateTime()),
  total_run_time: wire.number(),
  estimated_run_time: wire.number(),
  untrackable_result: wire.boolean(),
});

const GRAPH_ARTIFACT = wireModel('GraphArtifact', {
  id: wire.uuid(),
  created: wire.dateTime(),
  key: wire.nullable(wire.string()),
  type: wire.nullable(wire.string()),
  is_latest: wire.boolean(),
  data: wire.any(),
});
const EDGES = wire.array(wireModel('Edge', { id: wire.uuid() }));

/** v2, written as JSON text by graphV2: the same keys in the same order. */
const GRAPH = wireModel('Graph', {
  start_time: wire.nullable(wire.dateTime()),
  end_time: wire.nullable(wire.dateTime()),
  root_node_ids: wire.array(wire.uuid()),
  nodes: wire.array(
    wire.pair(
      wire.uuid(),
      wireModel('Node', {
        kind: wire.enum(['flow-run', 'task-run'] as const),
        id: wire.uuid(),
        label: wire.string(),
        // null for a run without a state
        state_type: wire.nullable(wire.enum(STATE_TYPES)),
        start_time: wire.dateTime(),
        end_time: wire.nullable(wire.dateTime()),
        parents: EDGES,
        children: EDGES,
        encapsulating: EDGES,
        artifacts: wire.array(GRAPH_ARTIFACT),
      }),
    ),
  ),
  artifacts: wire.array(GRAPH_ARTIFACT),
  states: wire.array(
    wireModel('GraphState', {
      id: wire.uuid(),
      timestamp: wire.dateTime(),
      type: wire.enum(STATE_TYPES),
      name: wire.string(),
    }),
  ),
});

const FLOW_RUN_NOT_FOUND = 'Flow run not found';

/** A JSON string of text that needs no escaping (a uuid, a timestamp, an enum name), or null. */
const quoted = (text: string | null): string => (text === null ? 'null' : `"${text}"`);

/** `[{"id": …}, …]` of uuids. */
function edgeList(ids: readonly string[] | null): string {
  if (ids === null || ids.length === 0) return '[]';
  let out = `[{"id":"${ids[0]}"}`;
  for (let i = 1; i < ids.length; i++) out += `,{"id":"${ids[i]}"}`;
  return `${out}]`;
}

/** `PREFECT_SERVER_FLOW_RUN_GRAPH_MAX_NODES` / `_MAX_ARTIFACTS` defaults. */
const DEFAULT_MAX_NODES = 10_000;
const DEFAULT_MAX_ARTIFACTS = 10_000;
/** The v1 graph lists every task run of the flow run; beyond this the v2 graph is the way. */
const V1_MAX_TASK_RUNS = 10_000;

/**
 * The UI's run graphs: `GET /flow_runs/{id}/graph` (v1, each task run with its upstream
 * dependencies from `task_inputs`) and `GET /flow_runs/{id}/graph-v2` (nodes with parent, child and
 * encapsulating edges, artifacts per node, the run's states; 400 past the node limit).
 */
@Controller('flow_runs')
export class FlowRunGraphController {
  private readonly maxNodes: number;
  private readonly maxArtifacts: number;

  constructor(
    private readonly graphs: FlowRunGraphRepository,
    private readonly taskRuns: TaskRunRepository,
    @Optional() @InjectSettings() settings?: Settings,
  ) {
    this.maxNodes = settings?.server.flowRunGraph.maxNodes ?? DEFAULT_MAX_NODES;
    this.maxArtifacts = settings?.server.flowRunGraph.maxArtifacts ?? DEFAULT_MAX_ARTIFACTS;
  }

  @ApiWireResponse(wire.array(DEPENDENCY_RESULT))
  @Get(':id/graph')
  async graphV1(@Param('id', UuidParamPipe) id: string): Promise<WireOf<typeof DEPENDENCY_RESULT>[]> {
    if ((await this.graphs.window(id)) === null) throw PrefectHttpError.notFound(FLOW_RUN_NOT_FOUND);
    const runs = await this.taskRuns.list({
      flow_runs: { id: { any_: [id] } },
      sort: 'EXPECTED_START_TIME_ASC',
      limit: V1_MAX_TASK_RUNS,
      offset: 0,
    });
    const now = Instant.now();
    return runs.map((run) => {
      const wire = taskRunResponse(run, now);
      const upstream = new Map<string, unknown>();
      for (const inputs of Object.values(run.taskInputs)) {
        if (!Array.isArray(inputs)) continue;
        for (const input of inputs as Record<string, unknown>[]) upstream.set(JSON.stringify(input), input);
      }
      const state = wire.state as { state_details?: { untrackable_result?: boolean } } | null;
      return {
        id: run.id,
        name: run.name,
        upstream_dependencies: [...upstream.values()],
        state: wire.state,
        expected_start_time: wire.expected_start_time,
        start_time: wire.start_time,
        end_time: wire.end_time,
        total_run_time: wire.total_run_time,
        estimated_run_time: wire.estimated_run_time,
        untrackable_result: state?.state_details?.untrackable_result ?? false,
      };
    });
  }

  /**
   * The body is written as JSON text here, not as objects for Fastify to stringify: a run of 5 000
   * task runs is 1.7 MB of nodes, and building ~20 000 small objects per call (nodes, edge lists,
   * `{id}` wrappers) and then serialising them cost more CPU (most of it garbage collection) than
   * everything else the call does. Same keys in the same order as before.
   */
  @ApiWireResponse(GRAPH)
  @Get(':id/graph-v2')
  @Header('content-type', 'application/json; charset=utf-8')
  async graphV2(@Param('id', UuidParamPipe) id: string, @Query('since') since?: string): Promise<string> {
    // Upstream's default is the earliest datetime it can represent: no node is left out.
    let sinceInstant: string | null = null;
    if (since !== undefined) {
      const parsed = laxInstantOrNull(since);
      if (parsed === null) {
        throw new RequestValidationError([
          {
            type: 'datetime_from_date_parsing',
            loc: ['query', 'since'],
            msg: 'Input should be a valid datetime',
            input: since,
          },
        ]);
      }
      sinceInstant = parsed.toISOString();
    }
    const window = await this.graphs.window(id);
    if (window === null) throw PrefectHttpError.notFound(FLOW_RUN_NOT_FOUND);
    const [rows, artifacts, states] = await Promise.all([
      this.graphs.nodes(id, sinceInstant, this.maxNodes + 1),
      this.graphs.artifacts(id, this.maxArtifacts),
      this.graphs.states(id),
    ]);
    if (rows.length > this.maxNodes) {
      throw new PrefectHttpError(400, `The graph of flow run ${id} has more than ${this.maxNodes} nodes.`);
    }
    const byTaskRun = new Map<string | null, object[]>();
    for (const a of artifacts) {
      const list = byTaskRun.get(a.task_run_id) ?? [];
      list.push({
        id: a.id,
        created: a.created,
        key: a.key,
        type: a.type,
        is_latest: a.is_latest,
        data: a.data ?? null,
      });
      byTaskRun.set(a.task_run_id, list);
    }
    const json = JSON.stringify;
    const artifactsOf = (taskRunId: string): string => {
      const list = byTaskRun.get(taskRunId);
      return list === undefined ? '[]' : json(list);
    };
    // Ids, timestamps, kinds and state types come from PostgreSQL (uuid text, to_char, enums) and
    // need no escaping: only labels go through JSON.stringify, a third of the CPU of quoting all.
    const nodes = new Array<string>(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      const encapsulating = r.encapsulating_ids === null ? null : [...new Set(r.encapsulating_ids)];
      nodes[k] =
        `["${r.id}",{"kind":"${r.kind}","id":"${r.id}","label":${json(r.label)},` +
        `"state_type":${quoted(r.state_type)},"start_time":"${r.start_time}","end_time":${quoted(r.end_time)},` +
        `"parents":${edgeList(r.parent_ids)},"children":${edgeList(r.child_ids)},` +
        `"encapsulating":${edgeList(encapsulating)},"artifacts":${artifactsOf(r.id)}}]`;
    }
    const roots = rows.filter((r) => (r.parent_ids ?? []).length === 0).map((r) => r.id);
    return (
      `{"start_time":${json(window.startTime)},"end_time":${json(window.endTime)},` +
      `"root_node_ids":${json(roots)},"nodes":[${nodes.join(',')}],` +
      `"artifacts":${json(byTaskRun.get(null) ?? [])},"states":${json(states)}}`
    );
  }
}
