import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, contractDirectory, startTestApiOn } from '@orrery/testing';

interface Exchange {
  seq: number;
  kind: string;
  method: string;
  path: string;
  req_headers: Record<string, string>;
  req_body: unknown;
  status: number;
  res_body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The orchestration-path endpoints of this issue; logs, admin, csrf and work pools are replayed elsewhere. */
const REPLAYED = /^\/api\/(flows\/|flow_runs\/|task_runs\/)/;
/** Values that must be equal, not only of the same shape (`name` of states only: run names are random). */
const SEMANTIC_KEYS = new Set([
  'status',
  'type',
  'name',
  'state_type',
  'state_name',
  'run_count',
  'flow_run_run_count',
]);

function exchanges(file: string): Exchange[] {
  return readFileSync(join(contractDirectory(), 'transcripts', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Exchange)
    .filter((x) => x.kind === 'http' && REPLAYED.test(x.path));
}

/**
 * Walks the recorded and the live response side by side: learns the id mapping (recorded UUID →
 * ours at the same place) and lists every difference of shape (keys, JSON types) and of the
 * values that carry orchestration meaning (statuses, state types and names, run counts).
 */
function compare(
  recorded: unknown,
  ours: unknown,
  ids: Map<string, string>,
  at: string,
  problems: string[],
): void {
  if (typeof recorded === 'string' && UUID.test(recorded) && typeof ours === 'string' && UUID.test(ours)) {
    if (!ids.has(recorded)) ids.set(recorded, ours);
    else if (ids.get(recorded) !== ours)
      problems.push(`${at}: id ${ours} where ${ids.get(recorded)} was expected`);
    return;
  }
  if (recorded === null || ours === null) {
    if (recorded !== ours)
      problems.push(`${at}: ${JSON.stringify(ours)} where ${JSON.stringify(recorded)} was recorded`);
    return;
  }
  if (Array.isArray(recorded) || Array.isArray(ours)) {
    if (!Array.isArray(recorded) || !Array.isArray(ours) || recorded.length !== ours.length) {
      problems.push(`${at}: array shape differs`);
      return;
    }
    recorded.forEach((r, i) => compare(r, ours[i], ids, `${at}[${i}]`, problems));
    return;
  }
  if (typeof recorded === 'object' && typeof ours === 'object') {
    const r = recorded as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    const keys = new Set([...Object.keys(r), ...Object.keys(o)]);
    for (const key of keys) {
      if (!(key in o)) problems.push(`${at}.${key}: missing`);
      else if (!(key in r)) problems.push(`${at}.${key}: not in the recording`);
      else if (
        SEMANTIC_KEYS.has(key) &&
        (key !== 'name' || 'type' in r) &&
        typeof r[key] !== 'object' &&
        r[key] !== o[key] &&
        !UUID.test(String(r[key]))
      ) {
        problems.push(`${at}.${key}: ${JSON.stringify(o[key])} where ${JSON.stringify(r[key])} was recorded`);
      } else compare(r[key], o[key], ids, `${at}.${key}`, problems);
    }
    return;
  }
  if (typeof recorded !== typeof ours)
    problems.push(`${at}: ${typeof ours} where ${typeof recorded} was recorded`);
}

function substitute(text: string, ids: Map<string, string>): string {
  return text.replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    (id) => ids.get(id) ?? id,
  );
}

/** Replays the SDK's flow-run and task-run traffic of the contract transcripts against Orrery. */
describe.each([
  ['flow-two-tasks.jsonl', 'postgres'],
  ['flow-retries-subflow.jsonl', 'postgres'],
  // The single-node default: the same statements on embedded PGlite.
  ['flow-retries-subflow.jsonl', 'pglite'],
] as const)('replaying %s on %s', (file, backend) => {
  const contract = new ContractValidator();
  let drop: () => Promise<void>;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    ({ app, drop } = await startTestApiOn(backend));
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('answers every exchange with the recorded status and the recorded shape', async () => {
    const ids = new Map<string, string>();
    const problems: string[] = [];
    for (const exchange of exchanges(file)) {
      const path = substitute(exchange.path, ids);
      const response = await app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: exchange.method as 'GET',
          url: path,
          headers: {
            'user-agent': exchange.req_headers['user-agent'] ?? '',
            'x-prefect-api-version': exchange.req_headers['x-prefect-api-version'] ?? '0.8.4',
            ...(exchange.req_body === null ? {} : { 'content-type': 'application/json' }),
          },
          ...(exchange.req_body === null
            ? {}
            : { payload: substitute(JSON.stringify(exchange.req_body), ids) }),
        });
      const body: unknown = response.body === '' ? null : response.json();
      const where = `#${exchange.seq} ${exchange.method} ${exchange.path}`;
      if (response.statusCode !== exchange.status) {
        problems.push(`${where}: status ${response.statusCode} where ${exchange.status} was recorded`);
      }
      compare(exchange.res_body, body, ids, where, problems);
      const template = exchange.path.replace(/^\/api/, '').replace(UUID_IN_PATH, '/{id}');
      contract.assert({ method: exchange.method, path: template, status: response.statusCode, body });
    }
    expect(problems).toEqual([]);
  });
});

const UUID_IN_PATH = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
