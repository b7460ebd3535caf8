// Background task queue benchmark (issue 6): a task worker subscribed through one API (--worker-url)
// receives N `.delay()`-style runs submitted through another (--submit-url, default the same) at
// concurrency C. Prints the submit → delivery latency p50/p95/p99/max (the acceptance target is
// 1 s), deliveries/s, duplicates and runs never delivered. Asserts nothing.
//
//   npm run build && node dist/tools/bench/src/task-queue.bench.js --worker-url http://127.0.0.1:4200/api \
//        [--submit-url http://127.0.0.1:4201/api] [--runs 500] [--concurrency 8] [--timeout-ms 30000]
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { fmt, parseArgs, summarise } from './bench-support';

interface Worker {
  socket: WebSocket;
  arrived: Map<string, number>;
  duplicates: number;
}

async function subscribe(api: string, taskKey: string): Promise<Worker> {
  const socket = new WebSocket(`${api.replace(/^http/, 'ws')}/task_runs/subscriptions/scheduled`, [
    'prefect',
  ]);
  const worker: Worker = { socket, arrived: new Map(), duplicates: 0 };
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => {
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type?: string; id?: string };
      if (frame.type === 'auth_success') {
        socket.send(JSON.stringify({ type: 'subscribe', keys: [taskKey], client_id: randomUUID() }));
        resolve();
        return;
      }
      const id = String(frame.id);
      if (worker.arrived.has(id)) worker.duplicates += 1;
      else worker.arrived.set(id, performance.now());
      socket.send(JSON.stringify({ type: 'ack' }));
    });
    socket.send(JSON.stringify({ type: 'auth', token: process.env.PREFECT_API_AUTH_STRING ?? null }));
  });
  return worker;
}

async function submit(api: string, taskKey: string): Promise<{ id: string; at: number }> {
  const at = performance.now();
  const response = await fetch(`${api}/task_runs/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-prefect-api-version': '0.8.4' },
    body: JSON.stringify({
      name: `${taskKey}-run`,
      task_key: taskKey,
      dynamic_key: randomUUID(),
      state: { type: 'SCHEDULED', name: 'Scheduled', state_details: { deferred: true } },
      task_inputs: {},
    }),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || body.id === undefined) {
    throw new Error(`POST /task_runs/ answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return { id: body.id, at };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workerUrl = args['worker-url'] ?? 'http://127.0.0.1:4200/api';
  const submitUrl = args['submit-url'] ?? workerUrl;
  const runs = Number(args.runs ?? 500);
  const concurrency = Number(args.concurrency ?? 8);
  const timeoutMs = Number(args['timeout-ms'] ?? 30_000);
  const taskKey = `bench-task-${randomUUID()}`;

  const worker = await subscribe(workerUrl, taskKey);
  // One run first: the subscription is live once it arrives.
  const warm = await submit(submitUrl, taskKey);
  const warmDeadline = Date.now() + timeoutMs;
  while (!worker.arrived.has(warm.id) && Date.now() < warmDeadline)
    await new Promise((r) => setTimeout(r, 10));
  worker.arrived.clear();

  const submitted: { id: string; at: number }[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < runs) {
        next += 1;
        submitted.push(await submit(submitUrl, taskKey));
      }
    }),
  );
  const deadline = Date.now() + timeoutMs;
  while (submitted.some((s) => !worker.arrived.has(s.id)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const elapsed = (performance.now() - started) / 1000;
  worker.socket.close();

  const latencies = submitted
    .filter((s) => worker.arrived.has(s.id))
    .map((s) => worker.arrived.get(s.id)! - s.at);
  const missing = submitted.length - latencies.length;
  const { p50, p95, p99, max } = summarise(latencies);
  console.log(`task queue: worker via ${workerUrl}, submissions via ${submitUrl}`);
  console.log(`  runs ${runs}, concurrency ${concurrency}, ${fmt(latencies.length / elapsed)} deliveries/s`);
  console.log(`  submit → delivery ms: p50 ${fmt(p50)}  p95 ${fmt(p95)}  p99 ${fmt(p99)}  max ${fmt(max)}`);
  console.log(`  p99 / 1000 ms target: ${fmt(p99 / 1000, 3)}`);
  console.log(`  duplicates ${worker.duplicates}, never delivered ${missing}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
