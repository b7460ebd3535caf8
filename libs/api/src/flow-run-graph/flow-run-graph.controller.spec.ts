import type { StreamableFile } from '@nestjs/common';
import type { Settings } from '@orrery/config';
import type { FastifyReply } from 'fastify';
import { EventEmitter } from 'node:events';
import type { FlowRunGraphNodeRow, FlowRunGraphRepository, TaskRunRepository } from '@orrery/persistence';
import { PrefectHttpError } from '../http/prefect-http.error';
import { BodyPieces, PIECE_BYTES } from './body-pieces';
import { FlowRunGraphController } from './flow-run-graph.controller';

const RUN = '00000000-0000-4000-8000-000000000001';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

/** A node head as the repository hands it over (PostgreSQL renders it). */
const head = (id: string): string =>
  `["${id}",{"kind":"task-run","id":"${id}","label":"${id.slice(-1)}","state_type":"COMPLETED",` +
  `"start_time":"2026-01-01T00:00:00.000000Z","end_time":null`;

/** Task inputs consuming `id`'s result, as the repository hands them over. */
const consuming = (id: string): string => JSON.stringify({ x: [{ input_type: 'task_run', id }] });

/** Nodes A, B, C in graph order, B consuming A's result; `left` nodes were left out by `since`. */
function nodes(left: readonly string[] = []): FlowRunGraphNodeRow[] {
  return [A, B, C].map((id) => ({
    head: left.includes(id) ? id : head(id),
    inputs: id === B ? consuming(A) : null,
  }));
}

function controller(graph: readonly FlowRunGraphNodeRow[], maxNodes: number): FlowRunGraphController {
  const repository = {
    window: () => Promise.resolve({ startTime: null, endTime: null }),
    eachNode: (_id: string, _since: string | null, visit: (row: FlowRunGraphNodeRow) => void) => {
      graph.forEach(visit);
      return Promise.resolve();
    },
    artifacts: () =>
      Promise.resolve([
        {
          id: C,
          created: '2026-01-01T00:00:01.000000Z',
          key: null,
          type: 'markdown',
          data: null,
          task_run_id: A,
          is_latest: true,
        },
      ]),
    states: () => Promise.resolve([]),
  } as unknown as FlowRunGraphRepository;
  const settings = { server: { flowRunGraph: { maxNodes, maxArtifacts: 10 } } } as unknown as Settings;
  return new FlowRunGraphController(repository, {} as TaskRunRepository, settings);
}

/** A reply whose response emits 'finish' when the test says so. */
const reply = (): FastifyReply => ({ raw: new EventEmitter() }) as unknown as FastifyReply;

/** The streamed body, its pieces and the length it declares. */
async function read(
  file: StreamableFile,
): Promise<{ text: string; pieces: Buffer[]; length: number | undefined }> {
  const pieces: Buffer[] = [];
  for await (const piece of file.getStream()) pieces.push(piece as Buffer);
  return { text: Buffer.concat(pieces).toString('utf8'), pieces, length: file.getHeaders().length };
}

describe('graph-v2: the body spliced around the heads PostgreSQL renders', () => {
  it('closes each head with its edges and artifacts, and lists the nodes without parents as roots', async () => {
    const body = JSON.parse((await read(await controller(nodes(), 10).graphV2(RUN, reply()))).text) as {
      root_node_ids: string[];
      nodes: [string, Record<string, unknown>][];
    };
    expect(body.root_node_ids).toEqual([A, C]);
    expect(body.nodes.map(([id]) => id)).toEqual([A, B, C]);
    const [a, b] = body.nodes.map(([, node]) => node);
    expect(a).toMatchObject({ children: [{ id: B }], parents: [], encapsulating: [] });
    expect((a!.artifacts as { id: string }[]).map((x) => x.id)).toEqual([C]);
    expect(b).toMatchObject({ parents: [{ id: A }], children: [], artifacts: [] });
  });

  it('answers 400 past PREFECT_SERVER_FLOW_RUN_GRAPH_MAX_NODES, counting only the nodes since kept', async () => {
    await expect(controller(nodes(), 2).graphV2(RUN, reply())).rejects.toMatchObject({
      constructor: PrefectHttpError,
      detail: `The graph of flow run ${RUN} has more than 2 nodes.`,
    });
    const kept = JSON.parse((await read(await controller(nodes([A]), 2).graphV2(RUN, reply()))).text) as {
      nodes: [string][];
    };
    expect(kept.nodes.map(([id]) => id)).toEqual([B, C]);
  });

  it('streams a large graph in pieces of at most PIECE_BYTES, declaring its length in bytes', async () => {
    // 3 000 nodes (about 600 kB) in a chain, with a label outside ASCII: its length in bytes is not in characters.
    const ids = Array.from(
      { length: 3000 },
      (_, k) => `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`,
    );
    const graph = ids.map((id, k) => ({
      head: head(id).replace(/"label":"[^"]*"/, '"label":"Überprüfung ✓"'),
      inputs: k === 0 ? null : consuming(ids[k - 1]!),
    }));
    const sent = reply();
    const { text, pieces, length } = await read(await controller(graph, 10_000).graphV2(RUN, sent));
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(PIECE_BYTES);
    expect(length).toBe(Buffer.byteLength(text));
    expect(length).toBeGreaterThan(text.length);
    const body = JSON.parse(text) as {
      root_node_ids: string[];
      nodes: [string, { parents: { id: string }[] }][];
    };
    expect(body.root_node_ids).toEqual([ids[0]]);
    expect(body.nodes.map(([id]) => id)).toEqual(ids);
    expect(body.nodes[2]![1].parents).toEqual([{ id: ids[1] }]);
    // Once the response has finished, its buffers serve the next body.
    sent.raw.emit('finish');
    const next = new BodyPieces();
    next.add('{}');
    expect(pieces.map((piece) => piece.buffer)).toContain(next.finish().pieces[0]!.buffer);
  });
});
