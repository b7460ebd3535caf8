// Triggers benchmark (issue 14), on PostgreSQL + Redis. Starts its own processes from dist/ on a
// fresh database (dropped at the end) and a redis-server of its own: one API
// (`server start --no-services`) and N triggers replicas (`apps/triggers`). Creates `--automations`
// enabled reactive automations (each expects one event name of 1000, so about a tenth of the events
// match one), then POSTs `--events` events at `--rate` events/s and prints:
//  - the events/s the triggers service evaluated (events ÷ time from the first send until the
//    `reactive-triggers` group has nothing undelivered or pending);
//  - event-to-firing latency p50/p95/p99/max: from sending an event (its `occurred`) to its
//    TriggeredAction appearing on the `actions` stream (read live with XREAD);
//  - firings published, distinct, and expected. Asserts nothing.
//
//   npm run bench:triggers -- [--events 10000] [--rate 1000] [--automations 100] [--replicas 1]
//        [--batch 50] [--read-batch 50] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
import 'reflect-metadata';
import { freePort } from '@orrery/testing';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AutomationsBenchEnvironment,
  BenchProcess as Proc,
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
  const replicas = Number(args.replicas ?? 1);
  const batch = Number(args.batch ?? 50);
  const readBatch = args['read-batch'] ?? '50';
  const pgServer = args.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

  const bench = await AutomationsBenchEnvironment.start('triggers', pgServer, readBatch);
  const { redis } = bench;
  const env = (dir: string): NodeJS.ProcessEnv => bench.env(dir);
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
    await Promise.all(procs.map((p) => p.ready()));
    const api = `http://127.0.0.1:${port}/api`;
    const poster = new JsonPoster(8);
    for (let i = 0; i < automations; i++) {
      const answer = await poster.post(`${api}/automations/`, {
        name: `bench-${i}`,
        trigger: { posture: 'Reactive', expect: [`bench.event.${i}`] },
        actions: [{ type: 'do-nothing' }],
      });
      if (answer.status !== 201) throw new Error(`creating an automation: ${answer.status} ${answer.text}`);
    }
    await sleep(1500); // every replica has them (NOTIFY)

    // Read the actions stream live: latency per TriggeredAction from its event's `occurred`.
    const latencies: number[] = [];
    const ids = new Set<string>();
    let published = 0;
    let reading = true;
    const reader = redis.duplicate();
    reader.on('error', () => undefined);
    const readLoop = (async () => {
      let last = '$';
      while (reading) {
        const reply = (await reader.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', 'actions', last)) as
          [string, [string, string[]][]][] | null;
        if (reply === null) continue;
        const now = Date.now();
        for (const [id, fields] of reply[0]![1]) {
          last = id;
          const data = JSON.parse(fields[fields.indexOf('data') + 1]!) as {
            id: string;
            triggering_event: { occurred: string };
          };
          published += 1;
          ids.add(data.id);
          latencies.push(now - Date.parse(data.triggering_event.occurred));
        }
      }
    })();
    await sleep(200);

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
    const deadline = Date.now() + 10_000;
    while (published < expected && Date.now() < deadline) await sleep(50);
    reading = false;
    await readLoop;
    reader.disconnect();
    const s = summarise(latencies);
    console.log(
      `triggers: ${automations} automations, ${replicas} replica(s), ${events} events sent at ${fmt(events / sentSeconds, 0)} events/s (target ${rate})`,
    );
    console.log(
      `  evaluated: ${fmt(events / drainedSeconds, 0)} events/s (all ${events} in ${fmt(drainedSeconds, 2)} s)`,
    );
    console.log(
      `  event → TriggeredAction on \`actions\`: min ${fmt(Math.min(...latencies))} ms, p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms`,
    );
    console.log(`  firings: ${expected} expected, ${published} published, ${ids.size} distinct`);
    console.log(`  load average ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await bench.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
