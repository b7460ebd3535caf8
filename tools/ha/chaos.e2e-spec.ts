// End-to-end chaos on the docker-compose.yml HA topology (tools/ha, issue 12 item 2): with its own
// Redis (compose's options: append-only persistence) and its own PostgreSQL on free ports — never
// the machine's servers — run flow-run lifecycles through nginx and, one fault at a time, kill -9 an
// API replica, kill -9 a services replica, restart Redis, restart PostgreSQL. After each fault,
// count what the load generator was told succeeded against the database: 0 lost, 0 duplicated;
// clients see only 502/503 and only for requests sent before the topology was ready again.
// Client errors and recovery times are printed per fault; no timing is asserted.
import { REPO_ROOT, sdkTaskRunEvent, waitFor } from '@orrery/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { startTopology, type Topology } from './src/topology';

const log: string[] = [];
const RETRYABLE = new Set([408, 429, 502, 503]);

interface ClientError {
  readonly status: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly what: string;
}

/** What one phase's load generator was told succeeded, and what went wrong on the way. */
interface Confirmed {
  readonly runs: { id: string; key: string }[];
  readonly taskRuns: string[];
  readonly events: string[];
  readonly errors: ClientError[];
  readonly unexpected: string[];
}

/**
 * The Prefect client's retry rule: 408/429/502/503 or no answer → wait (Retry-After, at most 2 s)
 * and send the same request again, until it gets an answer that is not retryable (or 60 s pass).
 */
async function send(
  base: string,
  confirmed: Confirmed,
  method: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    const sentAt = Date.now();
    let status: string;
    let retryAfterMs = Math.min(1000, 100 * attempt);
    try {
      const response = await fetch(`${base}/api${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (!RETRYABLE.has(response.status)) {
        return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
      }
      status = String(response.status);
      const header = Number(response.headers.get('retry-after'));
      if (Number.isFinite(header) && header > 0) retryAfterMs = Math.min(2000, header * 1000);
    } catch (error) {
      status = `no answer (${String(error).slice(0, 60)})`;
    }
    confirmed.errors.push({ status, sentAt, answeredAt: Date.now(), what: `${method} ${path}` });
    if (Date.now() > deadline) throw new Error(`${method} ${path}: still ${status} after 60 s`);
    await new Promise((r) => setTimeout(r, retryAfterMs));
  }
}

/** One flow-run lifecycle as the SDK runs it: create, Running, three tasks' events, Completed. */
async function lifecycle(base: string, flowId: string, confirmed: Confirmed): Promise<void> {
  const key = randomUUID();
  const created = await send(base, confirmed, 'POST', '/flow_runs/', {
    flow_id: flowId,
    name: `chaos-${key.slice(0, 8)}`,
    idempotency_key: key, // a retried create returns the same run
    state: { type: 'PENDING' },
  });
  if (created.status !== 201 && created.status !== 200) {
    confirmed.unexpected.push(`create → ${created.status} ${JSON.stringify(created.body).slice(0, 200)}`);
    return;
  }
  const runId = (created.body as { id: string }).id;
  // The engine reads its run back (a GET: nginx may retry it on another replica).
  const read = await send(base, confirmed, 'GET', `/flow_runs/${runId}`, undefined);
  if (read.status !== 200) {
    confirmed.unexpected.push(`read → ${read.status}`);
    return;
  }
  const setState = async (type: string): Promise<boolean> => {
    // The SDK's transition id: a retried transition that was already made is rejected as such.
    const transitionId = randomUUID();
    const answer = await send(base, confirmed, 'POST', `/flow_runs/${runId}/set_state`, {
      state: { type, state_details: { transition_id: transitionId } },
    });
    const result = answer.body as { status?: string; details?: { reason?: string } } | null;
    if (result?.status === 'ACCEPT') return true;
    if (
      result?.status === 'REJECT' &&
      /already made this state transition/.test(result.details?.reason ?? '')
    )
      return true;
    confirmed.unexpected.push(`set_state ${type} → ${answer.status} ${JSON.stringify(result).slice(0, 200)}`);
    return false;
  };
  if (!(await setState('RUNNING'))) return;
  const taskRuns: string[] = [];
  const events: string[] = [];
  for (let n = 0; n < 3; n++) {
    const taskRunId = randomUUID();
    const started = Date.now();
    const pair = [
      sdkTaskRunEvent(runId, taskRunId, n, 'Running', new Date(started).toISOString()),
      sdkTaskRunEvent(runId, taskRunId, n, 'Completed', new Date(started + 1).toISOString()),
    ];
    const answer = await send(base, confirmed, 'POST', '/events', pair);
    if (answer.status !== 204) {
      confirmed.unexpected.push(`events → ${answer.status}`);
      return;
    }
    taskRuns.push(taskRunId);
    events.push(...pair.map((e) => e.id as string));
  }
  if (!(await setState('COMPLETED'))) return;
  confirmed.runs.push({ id: runId, key });
  confirmed.taskRuns.push(...taskRuns);
  confirmed.events.push(...events);
}

interface Tally {
  readonly lost: number;
  readonly duplicated: number;
  readonly detail: string[];
}

/** Counts in the database what `confirmed` says succeeded: each exactly once, in its final state. */
async function tally(databaseUrl: string, flowId: string, confirmed: Confirmed): Promise<Tally> {
  const db = new Client({ connectionString: databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  try {
    const detail: string[] = [];
    let lost = 0;
    let duplicated = 0;
    const count = (what: string, expected: number, actual: number): void => {
      if (actual < expected) {
        lost += expected - actual;
        detail.push(`${what}: ${actual} of ${expected}`);
      } else if (actual > expected) {
        duplicated += actual - expected;
        detail.push(`${what}: ${actual}, expected ${expected}`);
      }
    };
    const keys = confirmed.runs.map((r) => r.key);
    const ids = confirmed.runs.map((r) => r.id);
    const runs = await db.query<{ key: string; n: string; completed: string }>(
      `SELECT idempotency_key AS key, count(*) AS n, count(*) FILTER (WHERE state_type = 'COMPLETED') AS completed
         FROM flow_run WHERE flow_id = $1 AND idempotency_key = ANY($2) GROUP BY idempotency_key`,
      [flowId, keys],
    );
    const byKey = new Map(runs.rows.map((r) => [r.key, r]));
    for (const key of keys) {
      count(`runs with key ${key}`, 1, Number(byKey.get(key)?.n ?? 0));
      count(`COMPLETED runs with key ${key}`, 1, Number(byKey.get(key)?.completed ?? 0));
    }
    // PENDING, RUNNING, COMPLETED: a transition applied twice would be a fourth state.
    const states = await db.query<{ id: string; n: string }>(
      `SELECT flow_run_id AS id, count(*) AS n FROM flow_run_state WHERE flow_run_id = ANY($1) GROUP BY flow_run_id`,
      [ids],
    );
    const statesOf = new Map(states.rows.map((r) => [r.id, Number(r.n)]));
    for (const id of ids) count(`states of run ${id}`, 3, statesOf.get(id) ?? 0);
    // Task runs, created and completed by the task-run recorder from the events.
    const tasks = await db.query<{ id: string; state_type: string }>(
      `SELECT id, state_type FROM task_run WHERE flow_run_id = ANY($1)`,
      [ids],
    );
    count('task runs', confirmed.taskRuns.length, tasks.rowCount ?? 0);
    const known = new Set(tasks.rows.filter((t) => t.state_type === 'COMPLETED').map((t) => t.id));
    count(
      'COMPLETED task runs',
      confirmed.taskRuns.length,
      confirmed.taskRuns.filter((t) => known.has(t)).length,
    );
    // The clients' events, stored by the event persister.
    const stored = await db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE id = ANY($1)`, [
      confirmed.events,
    ]);
    count('client events', confirmed.events.length, Number(stored.rows[0]?.n ?? 0));
    // The server's own flow-run events (outbox → bus → persister): each state's event exactly once.
    const own = await db.query<{ resource_id: string; event: string; n: string }>(
      `SELECT resource_id, event, count(*) AS n FROM events
        WHERE resource_id = ANY($1) AND event IN ('prefect.flow-run.Running', 'prefect.flow-run.Completed')
        GROUP BY resource_id, event`,
      [ids.map((id) => `prefect.flow-run.${id}`)],
    );
    const ownOf = new Map(own.rows.map((r) => [`${r.resource_id} ${r.event}`, Number(r.n)]));
    for (const id of ids) {
      for (const event of ['prefect.flow-run.Running', 'prefect.flow-run.Completed'])
        count(`${event} of ${id}`, 1, ownOf.get(`prefect.flow-run.${id} ${event}`) ?? 0);
    }
    return { lost, duplicated, detail };
  } finally {
    await db.end().catch(() => undefined);
  }
}

interface Fault {
  readonly name: string;
  /** Injects the fault; resolves when it is over (the dependency is back, the replica is dead). */
  inject(t: Topology): Promise<void>;
  /** After the phase: brings a killed process back for the next fault. */
  repair?(t: Topology): Promise<void>;
}

const HOLD_MS = 5000;

const FAULTS: readonly Fault[] = [
  {
    name: 'kill -9 api-1',
    inject: async (t) => void (await t.kill('api-1', 'SIGKILL')),
    repair: (t) => t.restart('api-1'),
  },
  {
    name: 'kill -9 services-1',
    inject: async (t) => void (await t.kill('services-1', 'SIGKILL')),
    repair: (t) => t.restart('services-1'),
  },
  {
    name: `Redis down ${HOLD_MS / 1000} s (SIGKILL, restart)`,
    inject: async (t) => {
      await t.servers?.redis.stop();
      await new Promise((r) => setTimeout(r, HOLD_MS));
      await t.servers?.redis.launch();
    },
  },
  {
    name: `PostgreSQL down ${HOLD_MS / 1000} s (immediate stop, restart)`,
    inject: async (t) => {
      await t.servers?.postgres.stop();
      await new Promise((r) => setTimeout(r, HOLD_MS));
      await t.servers?.postgres.launch();
    },
  },
];

interface PhaseResult {
  readonly fault: string;
  readonly lifecycles: number;
  readonly errors: Readonly<Record<string, number>>;
  /** Errors for requests sent after the topology was ready again (must be none). */
  readonly lateErrors: readonly ClientError[];
  readonly unexpected: readonly string[];
  /** From the end of the fault until every API replica was ready again. */
  readonly readyMs: number;
  /** From the end of the fault until the last client error was answered (0: none after it ended). */
  readonly clientsOkMs: number;
  /** From the end of the fault until everything confirmed was in the database. */
  readonly consistentMs: number;
  tally: Tally;
}

describe('chaos on the HA topology: kill -9 replicas, restart Redis and PostgreSQL under lifecycle load', () => {
  let topology: Topology | null = null;
  let flowId = '';
  const phases: PhaseResult[] = [];
  const confirmedOf = new Map<string, Confirmed>();

  beforeAll(async () => {
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'dev', 'ensure-nginx.sh')], { stdio: 'inherit' });
    const started = Date.now();
    topology = await startTopology({
      ownServers: true,
      keepDir: process.env.ORRERY_HA_KEEP === '1',
      log: (line) => log.push(`${new Date().toISOString()} ${line}`),
    });
    console.log(
      `topology with its own Redis and PostgreSQL up in ${Date.now() - started} ms in ${topology.dir}`,
    );
    const flow = await fetch(`${topology.url}/api/flows/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'chaos' }),
    });
    flowId = ((await flow.json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    console.log(log.join('\n'));
    if (topology !== null) await topology.stop(5000);
  }, 60_000);

  it.each(FAULTS.map((f) => [f.name, f] as const))(
    '%s: nothing confirmed is lost or duplicated; clients see only 502/503, only until it is over',
    async (_name, fault) => {
      const t = topology as Topology;
      const confirmed: Confirmed = { runs: [], taskRuns: [], events: [], errors: [], unexpected: [] };
      confirmedOf.set(fault.name, confirmed);
      let stopLoad = false;
      let afterRecovery = 0;
      let recoveredAt = Number.POSITIVE_INFINITY;
      const workers = Array.from({ length: 4 }, async () => {
        while (!stopLoad) {
          const startedAt = Date.now();
          await lifecycle(t.url, flowId, confirmed);
          if (startedAt > recoveredAt) afterRecovery++;
        }
      });
      // Liveness through nginx, all along: what an orchestrator's probe would see.
      const health: string[] = [];
      let healthProbes = 0;
      const monitor = (async () => {
        while (!stopLoad) {
          healthProbes++;
          try {
            const response = await fetch(`${t.url}/api/health`, { signal: AbortSignal.timeout(5000) });
            const text = await response.text();
            if (response.status !== 200 || text !== 'true')
              health.push(`${response.status} ${text.slice(0, 60)}`);
          } catch (error) {
            health.push(String(error).slice(0, 80));
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      workers.push(monitor);
      try {
        await waitFor(() => confirmed.runs.length >= 8, {
          timeoutMs: 30_000,
          what: 'steady load before the fault',
        });
        const injectedAt = Date.now();
        await fault.inject(t);
        const endedAt = Date.now();
        // Ready again: every API replica that runs answers /api/ready 200 (directly, not via nginx).
        const replicas = [...t.processes.keys()].filter(
          (n) =>
            t.info(n).role === 'api' &&
            t.processes.get(n)?.exitCode === null &&
            !t.processes.get(n)?.signalCode,
        );
        await waitFor(
          async () => {
            for (const name of replicas) {
              const response = await fetch(`${t.info(name).url}/api/ready`, {
                signal: AbortSignal.timeout(3000),
              });
              await response.arrayBuffer();
              if (response.status !== 200) return false;
            }
            return true;
          },
          { timeoutMs: 60_000, intervalMs: 100, what: `the API replicas to be ready after ${fault.name}` },
        );
        recoveredAt = Date.now();
        // The load keeps going until lifecycles started after the recovery have completed.
        await waitFor(() => afterRecovery >= 8, { timeoutMs: 60_000, what: 'lifecycles after the recovery' });
        stopLoad = true;
        await Promise.all(workers);
        const tallied = await waitFor(
          async () => {
            const result = await tally(t.databaseUrl, flowId, confirmed);
            return result.lost === 0 ? result : false;
          },
          {
            timeoutMs: 60_000,
            intervalMs: 500,
            what: `everything confirmed during ${fault.name} to be stored`,
          },
        ).catch(async () => tally(t.databaseUrl, flowId, confirmed));
        const consistentAt = Date.now();
        const errors: Record<string, number> = {};
        for (const e of confirmed.errors) errors[e.status] = (errors[e.status] ?? 0) + 1;
        phases.push({
          fault: fault.name,
          lifecycles: confirmed.runs.length,
          errors,
          lateErrors: confirmed.errors.filter((e) => e.sentAt > recoveredAt || e.answeredAt < injectedAt),
          unexpected: confirmed.unexpected,
          readyMs: recoveredAt - endedAt,
          clientsOkMs: Math.max(0, ...confirmed.errors.map((e) => e.answeredAt - endedAt)),
          consistentMs: consistentAt - endedAt,
          tally: tallied,
        });
        const phase = phases.at(-1) as PhaseResult;
        console.log(
          `${fault.name}: ${phase.lifecycles} lifecycles confirmed; ${healthProbes} GET /api/health, ${health.length} not 200; ` +
            `client errors ${JSON.stringify(errors)}; ` +
            `ready ${phase.readyMs} ms, last client error ${phase.clientsOkMs} ms and consistent ${phase.consistentMs} ms after the fault ended; ` +
            `lost ${tallied.lost}, duplicated ${tallied.duplicated}${tallied.detail.length ? `: ${tallied.detail.slice(0, 5).join('; ')}` : ''}`,
        );
        expect(health).toEqual([]);
        expect(confirmed.unexpected).toEqual([]);
        expect(tallied.detail).toEqual([]);
        expect(Object.keys(errors).filter((s) => s !== '502' && s !== '503')).toEqual([]);
        expect(phase.lateErrors).toEqual([]);
      } finally {
        stopLoad = true;
        await Promise.all(workers).catch(() => undefined);
        await fault.repair?.(t);
      }
    },
    180_000,
  );

  it('still counts 0 lost and 0 duplicated for every fault once everything has settled', async () => {
    const t = topology as Topology;
    const rows: string[] = [
      '| fault | lifecycles | client errors | ready after | last client error after | consistent after | lost | duplicated |',
    ];
    rows.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const phase of phases) {
      // A late duplicate (a redelivery after the phase's check) shows up here.
      phase.tally = await tally(t.databaseUrl, flowId, confirmedOf.get(phase.fault) as Confirmed);
      const errors = Object.entries(phase.errors)
        .map(([status, n]) => `${n}× ${status}`)
        .join(', ');
      rows.push(
        `| ${phase.fault} | ${phase.lifecycles} | ${errors || 'none'} | ${phase.readyMs} ms | ${phase.clientsOkMs} ms | ${phase.consistentMs} ms | ${phase.tally.lost} | ${phase.tally.duplicated} |`,
      );
    }
    console.log(`chaos summary:\n${rows.join('\n')}`);
    expect(phases.map((p) => p.fault)).toEqual(FAULTS.map((f) => f.name));
    for (const phase of phases)
      expect([phase.fault, phase.tally.lost, phase.tally.duplicated]).toEqual([phase.fault, 0, 0]);
  });
});
