// Automations benchmark (issue 14): the whole chain events → triggers → actions → webhook receiver,
// on PostgreSQL + Redis. Starts its own processes from dist/ on a fresh database (dropped at the end)
// and a redis-server of its own: one API (`server start --no-services`), N triggers replicas
// (`apps/triggers`) and M actions replicas (`apps/actions`), and a local HTTP receiver. Creates
// `--automations` enabled reactive automations (each expects one event name of 1000, so about a tenth
// of the events match one), each with a call-webhook to the receiver carrying the event's id, then
// POSTs `--events` events at `--rate` events/s and prints:
//  - the events/s the triggers service evaluated (events ÷ time from the first send until the
//    `reactive-triggers` group has nothing undelivered or pending);
//  - event-to-action latency p50/p95/p99/max: from sending an event (its `occurred`) to the webhook
//    call it caused arriving at the receiver;
//  - webhook calls expected, received and distinct idempotency keys;
//  - CPU seconds (/proc) from the first send until drained of the triggers replicas and of the
//    PostgreSQL backends of the database, per 1 000 events (holds on a loaded machine, where the
//    timings do not). Asserts nothing.
//
//   npm run bench:automations -- [--events 10000] [--rate 1000] [--automations 100] [--triggers 1]
//        [--actions 1] [--batch 50] [--read-batch 50] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
import 'reflect-metadata';
import { freePort } from '@orrery/testing';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AutomationsBenchEnvironment,
  BenchProcess as Proc,
  cpuSeconds,
  fmt,
  JsonPoster,
  parseArgs,
  summarise,
} from './bench-support';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const ORRERY_BIN = join(REPO_ROOT, 'bin', 'orrery');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const events = Number(args.events ?? 10_000);
  const rate = Number(args.rate ?? 1000);
  const automations = Number(args.automations ?? 100);
  const replicas = Number(args.triggers ?? 1);
  const actionReplicas = Number(args.actions ?? 1);
  const batch = Number(args.batch ?? 50);
  const readBatch = args['read-batch'] ?? '50';
  const pgServer = args.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

  const bench = await AutomationsBenchEnvironment.start('automations', pgServer, readBatch);
  const env = (dir: string): NodeJS.ProcessEnv => bench.env(dir);
  // The receiver: latency per call from its event's `occurred` (the payload), keys counted.
  const latencies: number[] = [];
  const keys = new Set<string>();
  let calls = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      calls += 1;
      keys.add(String(req.headers['idempotency-key']));
      const { occurred } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { occurred: string };
      latencies.push(now - Date.parse(occurred));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const procs: Proc[] = [];
  try {
    const migrate = Proc.start('migrate', [ORRERY_BIN, 'server', 'database', 'upgrade', '-y'], env('m'));
    if ((await migrate.exited) !== 0) throw new Error(`migration failed:\n${migrate.out}`);
    const port = await freePort();
    procs.push(
      Proc.start(
        'api',
        [ORRERY_BIN, 'server', 'start', '--no-services', '--host', '127.0.0.1', '--port', String(port)],
        env('api'),
      ),
    );
    for (let i = 0; i < replicas; i++) {
      procs.push(
        Proc.start(
          `triggers-${i}`,
          [join(REPO_ROOT, 'dist', 'apps', 'triggers', 'src', 'main.js')],
          env(`t${i}`),
        ),
      );
    }
    for (let i = 0; i < actionReplicas; i++) {
      procs.push(
        Proc.start(
          `actions-${i}`,
          [join(REPO_ROOT, 'dist', 'apps', 'actions', 'src', 'main.js')],
          env(`a${i}`),
        ),
      );
    }
    await Promise.all(procs.map((p) => p.ready(180_000))); // a loaded machine starts slowly
    const api = `http://127.0.0.1:${port}/api`;
    const poster = new JsonPoster(8);
    const hook = await webhookBlock(poster, api, receiverUrl);
    for (let i = 0; i < automations; i++) {
      const answer = await poster.post(`${api}/automations/`, {
        name: `bench-${i}`,
        trigger: { posture: 'Reactive', expect: [`bench.event.${i}`] },
        actions: [
          {
            type: 'call-webhook',
            block_document_id: hook,
            payload: '{"occurred": "{{ event.occurred }}"}',
          },
        ],
      });
      if (answer.status !== 201) throw new Error(`creating an automation: ${answer.status} ${answer.text}`);
    }
    await sleep(1500); // every replica has them (NOTIFY)

    const triggersCpu = () =>
      procs
        .filter((p) => p.name.startsWith('triggers-'))
        .reduce((sum, p) => sum + cpuSeconds(p.child.pid!), 0);
    const triggersCpu0 = triggersCpu();
    const databaseCpu0 = await bench.databaseCpuSeconds();
    const load0 = loadavg()[0]!;
    const started = performance.now();
    const expected = await bench.postPacedEvents(poster, `${api}/events`, {
      events,
      batch,
      rate,
      automations,
    });
    const sentSeconds = (performance.now() - started) / 1000;
    await bench.triggersDrained();
    const drainedSeconds = (performance.now() - started) / 1000;
    const triggersCpuUsed = triggersCpu() - triggersCpu0;
    const databaseCpuUsed = (await bench.databaseCpuSeconds()) - databaseCpu0;
    const deadline = Date.now() + 60_000;
    while (keys.size < expected && Date.now() < deadline) await sleep(50);
    const actedSeconds = (performance.now() - started) / 1000;
    const s = summarise(latencies);
    console.log(
      `automations: ${automations} automations (call-webhook), ${replicas} triggers + ${actionReplicas} actions replica(s), ` +
        `${events} events sent at ${fmt(events / sentSeconds, 0)} events/s (target ${rate})`,
    );
    console.log(
      `  evaluated: ${fmt(events / drainedSeconds, 0)} events/s (all ${events} in ${fmt(drainedSeconds, 2)} s)`,
    );
    console.log(
      `  event → webhook call received: min ${fmt(Math.min(...latencies))} ms, p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms`,
    );
    console.log(
      `  webhook calls: ${expected} expected, ${calls} received, ${keys.size} distinct keys (last after ${fmt(actedSeconds, 2)} s)`,
    );
    console.log(
      `  CPU until drained: triggers ${fmt(triggersCpuUsed, 2)} s (${fmt((triggersCpuUsed * 1e6) / events, 0)} ms per 1 000 events), ` +
        `PostgreSQL backends ${fmt(databaseCpuUsed, 2)} s (${fmt((databaseCpuUsed * 1e6) / events, 0)} ms per 1 000 events)`,
    );
    console.log(`  load average ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
  } finally {
    for (const p of procs.reverse()) await p.stop();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    await bench.dispose();
  }
}

/** A `webhook` block document (POST to `url`), created through the API; its id. */
async function webhookBlock(poster: JsonPoster, api: string, url: string): Promise<string> {
  const type = await fetch(`${api}/block_types/slug/webhook`).then(
    (r) => r.json() as Promise<{ id: string }>,
  );
  const schemas = await poster.post(`${api}/block_schemas/filter`, {
    block_schemas: { block_type_id: { any_: [type.id] } },
  });
  const [schema] = JSON.parse(schemas.text) as { id: string }[];
  const created = await poster.post(`${api}/block_documents/`, {
    name: `bench-hook-${randomBytes(4).toString('hex')}`,
    data: { url, method: 'POST', headers: {} },
    block_schema_id: schema!.id,
    block_type_id: type.id,
  });
  if (created.status !== 201)
    throw new Error(`creating the webhook block: ${created.status} ${created.text}`);
  return (JSON.parse(created.text) as { id: string }).id;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
