import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { contractDirectory, createPgliteTestDatabase, startTestApi } from '@orrery/testing';
import fc from 'fast-check';

/*
 * Issue 13, item 3: for each create operation below, the request schema of the wire contract
 * (`prefect-openapi.json`) says which fields are datetimes, UUIDs, booleans, integers, numbers and
 * timedeltas. fast-check rewrites each such field of a canonical body into one of the other forms
 * pydantic's lax mode accepts (lax-scalars.table.json) and the server must answer as it does for the
 * canonical body: the same status and the same resource, ids, names and clock readings aside.
 */

type Json = Record<string, unknown>;
type Schema = Record<string, unknown>;
type Kind = 'datetime' | 'uuid' | 'bool' | 'int' | 'number' | 'duration';

interface Inject {
  status: number;
  body: Json;
}

interface Operation {
  readonly path: string;
  /** A canonical body (fresh names from `unique`), built on `ctx`'s prerequisites. */
  readonly body: (ctx: Context, unique: string) => Json;
}

interface Context {
  flowId: string;
  flowRunId: string;
  taskRunId: string;
}

const AT = '2026-03-04T05:06:07.123456Z';
const OPERATIONS: readonly Operation[] = [
  {
    path: '/flow_runs/',
    body: (c) => ({
      flow_id: c.flowId,
      parent_task_run_id: c.taskRunId,
      state: { type: 'SCHEDULED', state_details: { scheduled_time: AT, pause_reschedule: false } },
      empirical_policy: { retries: 2, retry_delay: 5, pause_keys: [], resuming: false },
    }),
  },
  {
    path: '/task_runs/',
    body: (c, u) => ({
      flow_run_id: c.flowRunId,
      task_key: `k-${u}`,
      dynamic_key: '0',
      cache_expiration: AT,
      empirical_policy: { retries: 1, retry_delay: 3 },
    }),
  },
  {
    path: '/deployments/',
    body: (c, u) => ({
      name: `d-${u}`,
      flow_id: c.flowId,
      paused: true,
      enforce_parameter_schema: false,
      concurrency_limit: 3,
      schedules: [
        { schedule: { interval: 3600, anchor_date: AT }, active: false, max_scheduled_runs: 5 },
        { schedule: { cron: '0 9 * * *', timezone: null, day_or: false }, active: true },
      ],
    }),
  },
  {
    path: '/work_pools/',
    body: (_c, u) => ({ name: `p-${u}`, type: 'process', is_paused: true, concurrency_limit: 4 }),
  },
  {
    path: '/work_queues/',
    body: (_c, u) => ({ name: `q-${u}`, is_paused: true, concurrency_limit: 2, priority: 7 }),
  },
  {
    path: '/artifacts/',
    body: (c, u) => ({ key: `a-${u}`, data: 1, flow_run_id: c.flowRunId, task_run_id: c.taskRunId }),
  },
  {
    path: '/v2/concurrency_limits/',
    body: (_c, u) => ({
      name: `g-${u}`,
      limit: 5,
      active: false,
      active_slots: 1,
      slot_decay_per_second: 0.5,
    }),
  },
  { path: '/concurrency_limits/', body: (_c, u) => ({ tag: `t-${u}`, concurrency_limit: 6 }) },
];

/** Keys whose values differ between two creations of the same resource. */
const VOLATILE = new Set([
  'id',
  'created',
  'updated',
  'name',
  'tag',
  'key',
  'task_key',
  'timestamp',
  'state_id',
  'slug',
  'default_queue_id',
  'work_queue_id',
  'concurrency_limit_id',
  'transition_id',
  'estimated_start_time_delta',
  'last_polled',
  'expected_start_time', // a task run's is its creation time; a flow run's scheduled_time is compared
]);

/** The resource without its volatile keys, its own id (in state details, schedules) as `<self>`. */
function normalise(value: unknown, self: unknown = (value as Json | null)?.id): unknown {
  if (value === self) return '<self>';
  if (Array.isArray(value)) {
    // Schedules created in one request share a creation time: their order is not the point here.
    const items = value.map((v) => normalise(v, self));
    return items.every((item) => typeof item === 'object' && item !== null && 'schedule' in item)
      ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
      : items;
  }
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !VOLATILE.has(key) && !key.startsWith('prefect.'))
      .map(([key, v]) => [key, normalise(v, self)]),
  );
}

/** The contract's request schema of `POST path`. */
function requestSchema(contract: Json, path: string): Schema {
  const paths = contract.paths as Record<string, Record<string, Json>>;
  const op = paths[path]?.post ?? paths[`/api${path}`]?.post;
  const content = (op?.requestBody as Json | undefined)?.content as
    Record<string, { schema: Schema }> | undefined;
  const schema = content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`no request schema for POST ${path} in the contract`);
  return schema;
}

/** Every leaf of `body` whose schema is a lax-able scalar: its path and kind. */
function laxLeaves(
  contract: Json,
  schema: Schema,
  value: unknown,
  at: (string | number)[] = [],
): [(string | number)[], Kind][] {
  const resolved = resolve(contract, schema, value);
  if (resolved === undefined) return [];
  if (Array.isArray(value)) {
    const items = resolved.items as Schema | undefined;
    return items === undefined
      ? []
      : value.flatMap((item, i) => laxLeaves(contract, items, item, [...at, i]));
  }
  if (typeof value === 'object' && value !== null) {
    const properties = (resolved.properties ?? {}) as Record<string, Schema>;
    return Object.entries(value).flatMap(([key, v]) =>
      properties[key] === undefined ? [] : laxLeaves(contract, properties[key], v, [...at, key]),
    );
  }
  const kind = kindOf(resolved, at.at(-1));
  return kind === undefined ? [] : [[at, kind]];
}

/** The schema itself, its $ref's target, or the member of an anyOf/oneOf that fits `value`. */
function resolve(contract: Json, schema: Schema, value: unknown): Schema | undefined {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').at(-1)!;
    const schemas = (contract.components as Json).schemas as Record<string, Schema>;
    return resolve(contract, schemas[name]!, value);
  }
  const members = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (members !== undefined) {
    const fits = members
      .map((m) => resolve(contract, m, value))
      .filter((m): m is Schema => m !== undefined && m.type !== 'null');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // Schedules: the member whose properties hold every key of the value.
      return fits.find((m) => Object.keys(value).every((k) => k in ((m.properties ?? {}) as Json)));
    }
    return fits.find((m) => sameType(m, value));
  }
  return schema;
}

function sameType(schema: Schema, value: unknown): boolean {
  const t = schema.type;
  if (Array.isArray(value)) return t === 'array';
  if (value === null) return t === 'null';
  if (typeof value === 'object') return t === 'object' || t === undefined;
  if (typeof value === 'boolean') return t === 'boolean';
  if (typeof value === 'number') return t === 'number' || t === 'integer';
  return t === 'string';
}

function kindOf(schema: Schema, key: string | number | undefined): Kind | undefined {
  if (schema.type === 'string' && schema.format === 'date-time') return 'datetime';
  if (schema.type === 'string' && schema.format === 'uuid') return 'uuid';
  if (schema.type === 'boolean') return 'bool';
  if (schema.type === 'integer') return 'int';
  if (schema.format === 'time-delta' || key === 'interval') return 'duration';
  if (schema.type === 'number') return 'number';
  return undefined;
}

/** The other forms pydantic reads for a canonical value (see lax-scalars.table.json). */
function alternatives(kind: Kind, value: unknown): unknown[] {
  switch (kind) {
    case 'datetime': {
      const iso = String(value);
      const seconds = Date.parse(iso) / 1000; // whole milliseconds
      const micros = iso.slice(20, 26);
      const epoch = Number(`${Math.floor(seconds)}.${micros}`);
      return [
        epoch,
        String(epoch),
        iso.replace('T', ' '),
        iso.replace('Z', '+00:00'),
        iso.toLowerCase(),
        // Same instant two hours east.
        `${new Date(Date.parse(iso) + 7_200_000).toISOString().slice(0, 19)}.${micros}+02:00`,
        ...(micros.endsWith('000') ? [Math.floor(seconds * 1000)] : []),
      ];
    }
    case 'uuid': {
      const id = String(value);
      return [id.toUpperCase(), `{${id}}`, id.replace(/-/g, ''), `urn:uuid:${id}`];
    }
    case 'bool':
      return value === true
        ? ['true', 'True', '1', 1, 'yes', 'on', 't', 'y']
        : ['false', '0', 0, 'no', 'off', 'f', 'n'];
    case 'int':
      return [String(value), `${String(value)}.0`, ` ${String(value)} `, Number(value) + 0.0];
    case 'number':
      return [String(value), `${String(value)}e0`];
    case 'duration': {
      const s = Number(value);
      return [
        `PT${s}S`,
        `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`,
      ];
    }
  }
}

function setAt(body: Json, path: (string | number)[], value: unknown): Json {
  const copy = structuredClone(body);
  let node: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

describe('every lax form of a create body gives the resource its canonical form gives (property)', () => {
  // Read in beforeAll, not while declaring: without ../shared the contract gate skips every test
  // and the hooks never run.
  let contract: Json;
  let drop: () => Promise<void>;
  let app: NestFastifyApplication;
  let ctx: Context;

  const post = async (path: string, body: unknown): Promise<Inject> => {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: `/api${path}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    return { status: response.statusCode, body: (response.body === '' ? null : response.json()) as Json };
  };

  beforeAll(async () => {
    contract = JSON.parse(readFileSync(join(contractDirectory(), 'prefect-openapi.json'), 'utf8')) as Json;
    const db = await createPgliteTestDatabase({ migrate: true });
    await db.dataSource.destroy();
    drop = () => db.drop();
    app = await startTestApi({ kind: 'pglite', dataDir: db.dataDir });
    const flow = await post('/flows/', { name: 'lax-forms' });
    const run = await post('/flow_runs/', { flow_id: flow.body.id });
    const task = await post('/task_runs/', { flow_run_id: run.body.id, task_key: 'lax', dynamic_key: '0' });
    ctx = { flowId: String(flow.body.id), flowRunId: String(run.body.id), taskRunId: String(task.body.id) };
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it.each(OPERATIONS.map((op) => [op.path, op] as const))(
    'POST %s',
    async (path, op) => {
      const schema = requestSchema(contract, path);
      const probe = op.body(ctx, 'probe');
      const leaves = laxLeaves(contract, schema, probe);
      expect(leaves.length).toBeGreaterThan(0);
      const canonical = await post(path, op.body(ctx, randomUUID().slice(0, 8)));
      expect([200, 201]).toContain(canonical.status);
      const expected = normalise(canonical.body);

      // One case: a non-empty subset of the lax-able leaves, each rewritten into one of its other forms.
      const rewrite = fc
        .uniqueArray(fc.integer({ min: 0, max: leaves.length - 1 }), {
          minLength: 1,
          maxLength: leaves.length,
        })
        .chain((indexes) =>
          fc.tuple(
            ...indexes.map((index) => {
              const [at, kind] = leaves[index]!;
              let value: unknown = probe;
              for (const step of at) value = (value as Record<string | number, unknown>)[step];
              return fc.constantFrom(...alternatives(kind, value)).map((form) => [at, form] as const);
            }),
          ),
        );
      await fc.assert(
        fc.asyncProperty(rewrite, async (rewrites) => {
          let body = op.body(ctx, randomUUID().slice(0, 8));
          for (const [at, form] of rewrites) body = setAt(body, at, form);
          const answer = await post(path, body);
          expect({ sent: body, status: answer.status }).toEqual({ sent: body, status: canonical.status });
          expect(normalise(answer.body)).toEqual(expected);
        }),
        { numRuns: 8 },
      );
    },
    60_000,
  );
});
