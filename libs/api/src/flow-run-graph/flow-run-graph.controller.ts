import { Controller, Get, Optional, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant, laxInstantOrNull, STATE_TYPES } from '@orrery/domain';
import {
  type FlowRunGraphArtifactRow,
  FlowRunGraphRepository,
  type FlowRunGraphStateRow,
  TaskRunRepository,
} from '@orrery/persistence';
import type { FastifyReply } from 'fastify';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { taskRunResponse } from '../task-runs/task-run.serializer';
import { ApiWireResponse, wire, wireModel, type WireOf } from '../openapi/wire-schema';
import { STATE } from '../states/state.serializer';
import { BodyPieces } from './body-pieces';
import { GraphNodes } from './graph-nodes';

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
/** The rest of a node's text when it has no edges and no artifacts. */
const NODE_WITHOUT_EDGES = ',"parents":[],"children":[],"encapsulating":[],"artifacts":[]}]';

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
   * The body is JSON text written into pooled buffers (BodyPieces), not objects for Fastify to
   * stringify nor one string: a run of 5 000 task runs is 1.8 MB of nodes. PostgreSQL renders each
   * node's fixed part (FlowRunGraphRepository); the edges, artifacts and the envelope are spliced in
   * here, with the same keys in the same order as the objects would have.
   */
  @ApiWireResponse(GRAPH)
  @Get(':id/graph-v2')
  async graphV2(
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('since') since?: string,
  ): Promise<StreamableFile> {
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
    // Heads are written into pooled buffers as the rows arrive, and copied into the body from there.
    const heads = new BodyPieces();
    const body = new BodyPieces();
    try {
      const nodes = new GraphNodes(heads);
      // Every query settles before the heads can be recycled: a failed one must not leave another writing into them.
      const [streamed, artifacts, states] = await Promise.allSettled([
        this.graphs.eachNode(id, sinceInstant, nodes.visit),
        this.graphs.artifacts(id, this.maxArtifacts),
        this.graphs.states(id),
      ]);
      for (const result of [streamed, artifacts, states])
        if (result.status === 'rejected') throw result.reason;
      this.writeGraph(
        body,
        id,
        window,
        nodes,
        (artifacts as PromiseFulfilledResult<FlowRunGraphArtifactRow[]>).value,
        (states as PromiseFulfilledResult<FlowRunGraphStateRow[]>).value,
      );
    } catch (error) {
      body.recycle();
      throw error;
    } finally {
      heads.recycle();
    }
    const { pieces, length } = body.finish();
    // Sent: the socket no longer reads the buffers. A response cut short leaves them to the collector.
    reply.raw.once('finish', () => body.recycle());
    return new StreamableFile(Readable.from(pieces, { objectMode: false }), {
      type: 'application/json; charset=utf-8',
      length,
    });
  }

  private writeGraph(
    body: BodyPieces,
    id: string,
    window: { startTime: string | null; endTime: string | null },
    nodes: GraphNodes,
    artifacts: readonly FlowRunGraphArtifactRow[],
    states: readonly FlowRunGraphStateRow[],
  ): void {
    const { ids, kept, edges } = nodes.resolve();
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
    body.add(`{"start_time":${json(window.startTime)},"end_time":${json(window.endTime)},"root_node_ids":[`);
    // The roots go first in the body, so the nodes are counted (and the limit checked) in a pass of their own.
    let count = 0;
    let roots = 0;
    for (let k = 0; k < ids.length; k++) {
      if (!kept[k]) continue;
      if (count === this.maxNodes) {
        throw new PrefectHttpError(400, `The graph of flow run ${id} has more than ${this.maxNodes} nodes.`);
      }
      count += 1;
      if (edges.parents.has(k)) continue;
      body.add(roots === 0 ? `"${ids[k]}"` : `,"${ids[k]}"`);
      roots += 1;
    }
    body.add('],"nodes":[');
    const edgeList = (positions: readonly number[] | undefined): string => {
      if (positions === undefined) return '[]';
      let out = `[{"id":"${ids[positions[0]!]}"}`;
      for (let i = 1; i < positions.length; i++) out += `,{"id":"${ids[positions[i]!]}"}`;
      return `${out}]`;
    };
    let first = true;
    for (let k = 0; k < ids.length; k++) {
      if (!kept[k]) continue;
      if (!first) body.add(',');
      first = false;
      nodes.writeHead(k, body);
      const parents = edges.parents.get(k);
      const children = edges.children.get(k);
      const encapsulating = edges.encapsulating.get(k);
      const list = byTaskRun.get(ids[k]!);
      body.add(
        parents === undefined && children === undefined && encapsulating === undefined && list === undefined
          ? NODE_WITHOUT_EDGES
          : `,"parents":${edgeList(parents)},"children":${edgeList(children)},` +
              `"encapsulating":${edgeList(encapsulating)},"artifacts":${list === undefined ? '[]' : json(list)}}]`,
      );
    }
    body.add(`],"artifacts":${json(byTaskRun.get(null) ?? [])},"states":${json(states)}}`);
  }
}
