import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DATA_SOURCE } from '@orrery/persistence';
import { ContractValidator, contractCall, startTestApiOn } from '@orrery/testing';
import type { DataSource } from 'typeorm';

type Json = Record<string, unknown>;

// Both engines: the node JSON is rendered in SQL.
describe.each([
  ['PostgreSQL', 'postgres'],
  ['PGlite (embedded)', 'pglite'],
] as const)('flow run graphs on %s, against the contract', (_label, kind) => {
  const contract = new ContractValidator();
  let drop: () => Promise<void>;
  let app: NestFastifyApplication;
  /** SQL through the API's own connection (one live PGlite per process). */
  const db = {
    query: (sql: string, params: unknown[]) => app.get<DataSource>(DATA_SOURCE).query(sql, params),
  };
  beforeAll(async () => {
    ({ app, drop } = await startTestApiOn(kind));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const call = contractCall(() => app, contract);

  /** A flow run with tasks a → b (b consumes a's result), c wrapped by a (`__parents__`), and a subflow behind s. */
  async function seed() {
    const { body: flow } = await call('POST', '/api/flows/', '/flows/', { name: 'graphed' });
    const { body: child } = await call('POST', '/api/flows/', '/flows/', { name: 'child-flow' });
    const { body: run } = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      flow_id: flow.id,
      name: 'parent-run',
      state: { type: 'RUNNING' },
    });
    const task = async (name: string, inputs: Json, offsetSeconds: number) => {
      const { body } = await call('POST', '/api/task_runs/', '/task_runs/', {
        flow_run_id: run.id,
        name,
        task_key: name,
        dynamic_key: '0',
        task_inputs: inputs,
        state: { type: 'PENDING' },
      });
      await db.query(
        `UPDATE task_run SET start_time = now() - make_interval(secs => 100 - $2), expected_start_time = now() - make_interval(secs => 100 - $2) WHERE id = $1`,
        [body.id, offsetSeconds],
      );
      return String(body.id);
    };
    const a = await task('a', {}, 1);
    const b = await task('b', { x: [{ input_type: 'task_run', id: a }] }, 2);
    const c = await task('c', { __parents__: [{ input_type: 'task_run', id: a }] }, 3);
    const s = await task('s', {}, 4);
    const { body: subflow } = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      flow_id: child.id,
      name: 'sub-run',
      parent_task_run_id: s,
      state: { type: 'RUNNING' },
    });
    const { body: artifact } = await call('POST', '/api/artifacts/', '/artifacts/', {
      key: 'progress-key',
      type: 'progress',
      data: 42,
      flow_run_id: run.id,
      task_run_id: a,
    });
    return {
      flow: String(flow.id),
      run: String(run.id),
      a,
      b,
      c,
      s,
      subflow: String(subflow.id),
      artifact: String(artifact.id),
    };
  }

  it('graph-v2: nodes, edges, subflow nodes, artifacts and states; 404 for an unknown run', async () => {
    const ids = await seed();
    const url = `/api/flow_runs/${ids.run}/graph-v2`;
    const { status, body } = await call('GET', url, '/flow_runs/{id}/graph-v2');
    expect(status).toBe(200);
    const nodes = new Map((body.nodes as [string, Json][]).map(([id, node]) => [id, node]));
    // In start-time order (the subflow started last, when it was created).
    expect([...nodes.keys()]).toEqual([ids.a, ids.b, ids.c, ids.subflow]);
    expect(nodes.get(ids.b)).toMatchObject({ kind: 'task-run', label: 'b', parents: [{ id: ids.a }] });
    expect(nodes.get(ids.a)).toMatchObject({ children: [{ id: ids.b }], parents: [] });
    expect(nodes.get(ids.c)).toMatchObject({ encapsulating: [{ id: ids.a }], parents: [] });
    expect(nodes.get(ids.subflow)).toMatchObject({ kind: 'flow-run', label: 'child-flow / sub-run' });
    expect((nodes.get(ids.a)!.artifacts as Json[])[0]).toMatchObject({
      id: ids.artifact,
      key: 'progress-key',
      type: 'progress',
      data: 42,
      is_latest: true,
    });
    expect((body.root_node_ids as string[]).sort()).toEqual([ids.a, ids.c, ids.subflow].sort());
    expect((body.states as Json[]).map((s) => s.type)).toEqual(['RUNNING']);

    // Labels are JSON text rendered by PostgreSQL: quotes, backslashes, control characters and
    // non-ASCII text come back as they were stored.
    const odd = 'q"uo\\te\n\t\u0001 ✓ / ünï';
    await db.query(`UPDATE task_run SET name = $2 WHERE id = $1`, [ids.c, odd]);
    const renamed = await call('GET', url, '/flow_runs/{id}/graph-v2');
    const labelled = (renamed.body.nodes as [string, Json][]).find(([id]) => id === ids.c)!;
    expect(labelled[1].label).toBe(odd);

    // Nodes that ended before `since` are left out.
    await db.query(`UPDATE task_run SET end_time = now() - interval '1 hour' WHERE id = $1`, [ids.b]);
    const since = new Date(Date.now() - 60_000).toISOString();
    const recent = await call('GET', `${url}?since=${encodeURIComponent(since)}`, '/flow_runs/{id}/graph-v2');
    expect((recent.body.nodes as [string, Json][]).map(([id]) => id)).not.toContain(ids.b);
    expect((await call('GET', `${url}?since=yesterday-ish`, '/flow_runs/{id}/graph-v2')).status).toBe(422);
    // Every node ended before `since`: none left, and none a root.
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await db.query(`UPDATE task_run SET end_time = now() WHERE flow_run_id = $1`, [ids.run]);
    await db.query(`UPDATE flow_run SET end_time = now() WHERE id = $1`, [ids.subflow]);
    const none = await call('GET', `${url}?since=${encodeURIComponent(future)}`, '/flow_runs/{id}/graph-v2');
    expect(none.body).toMatchObject({ root_node_ids: [], nodes: [] });

    // A run without task runs has an empty graph.
    const { body: empty } = await call('POST', '/api/flow_runs/', '/flow_runs/', { flow_id: ids.flow });
    const emptyGraph = await call(
      'GET',
      `/api/flow_runs/${String(empty.id)}/graph-v2`,
      '/flow_runs/{id}/graph-v2',
    );
    expect(emptyGraph).toMatchObject({ status: 200, body: { root_node_ids: [], nodes: [], artifacts: [] } });

    const missing = '/api/flow_runs/0195f2a8-0000-7000-8000-000000000404/graph-v2';
    expect(await call('GET', missing, '/flow_runs/{id}/graph-v2')).toEqual({
      status: 404,
      body: { detail: 'Flow run not found' },
    });
  });

  it('graph (v1): each task run with its upstream dependencies', async () => {
    const ids = await seed();
    const { status, body } = await call('GET', `/api/flow_runs/${ids.run}/graph`, '/flow_runs/{id}/graph');
    expect(status).toBe(200);
    const byId = new Map((body as unknown as Json[]).map((d) => [d.id, d]));
    expect([...byId.keys()].sort()).toEqual([ids.a, ids.b, ids.c, ids.s].sort());
    expect(byId.get(ids.b)).toMatchObject({
      name: 'b',
      upstream_dependencies: [{ input_type: 'task_run', id: ids.a }],
      untrackable_result: false,
    });
    expect(byId.get(ids.a)!.upstream_dependencies).toEqual([]);
    const missing = '/api/flow_runs/0195f2a8-0000-7000-8000-000000000404/graph';
    expect((await call('GET', missing, '/flow_runs/{id}/graph')).status).toBe(404);
  });
});
