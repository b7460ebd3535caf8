// Every read path the UI's main pages use (the scale benchmark's calls, @orrery/testing scaleCalls)
// must reach flow_run, task_run, events, event_resources and log through an index: this suite fills
// a per-run database with a few hundred thousand rows of the scale fixture's shape, sends each call
// through the in-process API while recording the statements it runs, and EXPLAINs each read with
// its parameters. A change that loses an index (or a query shape that stops using one) fails here.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CancellationCleanupRepository, DATA_SOURCE, DbVacuumRepository } from '@orrery/persistence';
import {
  createTestDatabase,
  fillScaleData,
  type ScaleCall,
  scaleCalls,
  scaleIds,
  startTestApi,
  type TestDatabase,
} from '@orrery/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

const FLOW_RUNS = 150_000;
const BIG_TABLES = new Set(['flow_run', 'task_run', 'events', 'event_resources', 'log']);
/** The calls' names (the ids they carry are only known after the fill). */
const LABELS = scaleCalls(scaleIds(FLOW_RUNS, [])).map((c) => `${c.endpoint} — ${c.variant}`);

interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function* nodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodes(child);
}

/** Reads only: writes are not on these paths, and EXPLAIN of a data-modifying CTE is not wanted. */
const isRead = (text: string): boolean =>
  /^\s*(\/\*.*?\*\/\s*)?(SELECT|WITH)\b/is.test(text) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(text);

describe('UI read paths use indexes on a few hundred thousand rows (EXPLAIN)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let explainer: Client;
  let calls: ScaleCall[] = [];
  let recording: Statement[] | null = null;
  const originalQuery = Client.prototype.query;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    const filler = new Client({ connectionString: db.url });
    await filler.connect();
    try {
      await fillScaleData(async (sql, params) => (await filler.query(sql, params)).rows, {
        flowRuns: FLOW_RUNS,
        perRun: { taskRuns: 1.5, events: 1.5, logs: 1 },
      });
      const rows = (
        await filler.query(
          `SELECT id FROM flow_run WHERE end_time IS NOT NULL ORDER BY end_time DESC OFFSET 2000 LIMIT 200`,
        )
      ).rows as { id: string }[];
      calls = scaleCalls(
        scaleIds(
          FLOW_RUNS,
          rows.map((r) => r.id),
        ),
      );
    } finally {
      await filler.end();
    }
    explainer = new Client({ connectionString: db.url });
    await explainer.connect();
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 2 });
    // Every statement the API sends goes through pg's Client#query (the preparing client included).
    Client.prototype.query = function query(this: Client, ...args: unknown[]): unknown {
      const [first, second] = args;
      if (recording !== null && this !== explainer) {
        if (typeof first === 'string') {
          recording.push({ text: first, values: Array.isArray(second) ? second : [] });
        } else if (typeof first === 'object' && first !== null && 'text' in first) {
          const config = first as { text: string; values?: unknown[] };
          recording.push({ text: config.text, values: config.values ?? [] });
        }
      }
      return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }, 900_000);

  afterAll(async () => {
    Client.prototype.query = originalQuery;
    await app?.close();
    await explainer?.end();
    await db?.drop();
  });

  /** One call through the in-process API: its status and parsed body. */
  async function send(
    call: Pick<ScaleCall, 'method' | 'path' | 'body'>,
  ): Promise<{ status: number; body: unknown }> {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: call.method,
        url: `/api${call.path}`,
        ...(call.method === 'POST'
          ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(call.body ?? {}) }
          : {}),
      });
    return { status: response.statusCode, body: response.json() };
  }

  const post = async (path: string, body: object): Promise<unknown> =>
    (await send({ method: 'POST', path, body })).body;

  /** `Seq Scan on <big table>` nodes of the reads `work` sends, as "table ← statement". */
  async function seqScansOf(work: () => Promise<unknown>): Promise<{ reads: number; scans: string[] }> {
    const statements: Statement[] = [];
    recording = statements;
    try {
      await work();
    } finally {
      recording = null;
    }
    const reads = statements.filter((s) => isRead(s.text));
    const scans: string[] = [];
    for (const statement of reads) {
      const result = await explainer.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
      const [plan] = (result.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'];
      for (const node of nodes(plan!.Plan)) {
        if (node['Node Type'] === 'Seq Scan' && BIG_TABLES.has(node['Relation Name'] ?? '')) {
          scans.push(`${node['Relation Name']} ← ${statement.text.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      }
    }
    return { reads: reads.length, scans };
  }

  it.each(LABELS.map((label, k) => [label, k] as const))('%s: indexes only', async (label, k) => {
    const call = calls[k]!;
    let status = 0;
    const { reads, scans } = await seqScansOf(async () => {
      status = (await send(call)).status;
    });
    expect({ call: label, status }).toEqual({ call: label, status: 200 });
    expect(reads).toBeGreaterThan(0);
    expect(scans).toEqual([]);
  });

  it('a deep page (past DEEP_OFFSET) holds the same runs as the same rows of one long page', async () => {
    const page = async (body: object): Promise<string[]> =>
      ((await post('/flow_runs/filter', body)) as { id: string }[]).map((r) => r.id);
    for (const sort of ['START_TIME_DESC', 'EXPECTED_START_TIME_DESC', 'NAME_ASC', 'ID_DESC']) {
      // Offset 250 takes the deep form; offset 100 (rows 100–299) the direct one.
      const deep = await page({ sort, offset: 250, limit: 50 });
      const direct = await page({ sort, offset: 100, limit: 200 });
      expect(deep).toHaveLength(50);
      expect(deep).toEqual(direct.slice(150));
    }
  });

  it('counts without a filter exactly below ESTIMATED_COUNT_FROM rows', async () => {
    expect(await post('/flow_runs/count', {})).toBe(FLOW_RUNS);
    const [row] = (await explainer.query(`SELECT count(*)::int AS n FROM task_run`)).rows as [{ n: number }];
    expect(await post('/task_runs/count', {})).toBe(row.n);
  });

  it("cancellation-cleanup's subflow finder starts from ix_flow_run__parent_task_run_id", async () => {
    const repository = new CancellationCleanupRepository(app.get<DataSource>(DATA_SOURCE));
    const { reads, scans } = await seqScansOf(() => repository.subflowRunsOfCancelledParents(50));
    expect(reads).toBe(1);
    expect(scans).toEqual([]);
  });

  it("db-vacuum's orphan check reads one window of ix_log__flow_run_id, not every log", async () => {
    const repository = new DbVacuumRepository(app.get<DataSource>(DATA_SOURCE));
    let after: string | null = null;
    const { reads, scans } = await seqScansOf(async () => {
      const first = await repository.findOrphanedRuns('log', null, 5000);
      after = first.next;
      await repository.findOrphanedRuns('log', after, 5000);
    });
    expect(after).not.toBeNull();
    expect(reads).toBe(2);
    expect(scans).toEqual([]);
  });
});
