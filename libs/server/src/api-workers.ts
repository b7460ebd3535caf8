import cluster, { type Worker } from 'node:cluster';
import type { Settings } from '@orrery/config';

/** The environment variable that tells a forked process which API worker it is (1-based). */
export const API_WORKER_ENV = 'ORRERY_API_WORKER';

/** The message an API worker sends the supervisor once it serves requests. */
const READY_MESSAGE = 'orrery:api-worker-ready';

/**
 * Why `server start --workers N` cannot run with these settings, or null (upstream's
 * `_validate_multi_worker`): N > 1 processes share nothing in memory, so they need PostgreSQL and
 * Redis for the bus, the de-dup cache, causal ordering and lease storage.
 */
export function multiWorkerProblem(settings: Settings, workers: number): string | null {
  if (!Number.isInteger(workers) || workers < 1) return 'Number of workers must be >= 1';
  if (workers === 1) return null;
  if (settings.server.database.kind !== 'postgres') {
    return (
      'Multi-worker mode (--workers > 1) is not supported with the embedded database: ' +
      'set PREFECT_API_DATABASE_CONNECTION_URL to a PostgreSQL URL'
    );
  }
  const events = settings.server.events;
  const inMemory = [
    events.messagingBroker === 'memory' ? 'PREFECT_MESSAGING_BROKER="prefect_redis.messaging"' : null,
    events.messagingCache === 'memory' ? 'PREFECT_MESSAGING_CACHE="prefect_redis.messaging"' : null,
    events.causalOrdering === 'memory'
      ? 'PREFECT_SERVER_EVENTS_CAUSAL_ORDERING="prefect_redis.ordering"'
      : null,
    settings.server.concurrency.leaseStorage === 'memory'
      ? 'PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE="prefect_redis.lease_storage"'
      : null,
  ].filter((line): line is string => line !== null);
  if (inMemory.length === 0) return null;
  return (
    'Multi-worker mode (--workers > 1) requires Redis for messaging and lease storage; set ' +
    `${inMemory.join(', ')} and the Redis connection (PREFECT_REDIS_MESSAGING_URL or _HOST/_PORT/_DB)`
  );
}

/** 1-based index of this API worker, or null in a process that is not one. */
export function apiWorkerIndex(): number | null {
  if (cluster.isPrimary) return null;
  const index = Number(process.env[API_WORKER_ENV]);
  return Number.isInteger(index) && index > 0 ? index : null;
}

/** Tells the supervisor that this API worker serves requests. */
export function reportApiWorkerReady(): void {
  process.send?.(READY_MESSAGE);
}

export interface SupervisorOptions {
  readonly workers: number;
  readonly print?: (line: string) => void;
  /** How long workers get to finish in-flight work after SIGTERM before they are killed. */
  readonly stopTimeoutMs?: number;
}

/**
 * `orrery server start --workers N` (N > 1): this process forks N API processes that share the
 * listening port (node:cluster hands each new connection to the next worker in turn) and supervises
 * them, as uvicorn does for upstream's `--workers`. It serves nothing itself.
 * - Start-up: `orrery: ready (api, N workers)` once every worker serves; a worker that dies before
 *   that ends the whole start with its exit code (a bad setting fails every worker alike).
 * - A worker that dies later is replaced at once (after 1 s if it lived under 5 s), so a crash
 *   costs the connections it held, not the service.
 * - SIGTERM/SIGINT: forwarded to every worker, which finishes in-flight requests; the supervisor
 *   exits 0 when all are gone (SIGKILL after `stopTimeoutMs`).
 */
export function superviseApiWorkers(options: SupervisorOptions): Promise<void> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const slots = new Map<number, { worker: Worker; started: number; ready: boolean }>();
  let serving = false;
  let stopping = false;
  let exitCode = 0;

  return new Promise<void>((resolve) => {
    const finish = (code: number): void => {
      resolve();
      process.exit(code);
    };

    const stopAll = (signal: NodeJS.Signals, code: number): void => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      for (const { worker } of slots.values()) worker.process.kill(signal);
      if (slots.size === 0) finish(code);
      setTimeout(() => {
        for (const { worker } of slots.values()) worker.process.kill('SIGKILL');
      }, stopTimeoutMs).unref();
    };

    const fork = (index: number): void => {
      const worker = cluster.fork({ [API_WORKER_ENV]: String(index) });
      slots.set(index, { worker, started: Date.now(), ready: false });
      worker.on('message', (message: unknown) => {
        if (message !== READY_MESSAGE) return;
        const slot = slots.get(index);
        if (slot === undefined || slot.worker !== worker) return;
        slot.ready = true;
        if (serving) {
          print(`orrery: API worker ${index} (pid ${worker.process.pid}) is serving again`);
        } else if ([...slots.values()].every((s) => s.ready)) {
          serving = true;
          print(`orrery: ready (api, ${options.workers} workers)`);
        }
      });
      worker.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
        const slot = slots.get(index);
        if (slot?.worker === worker) slots.delete(index);
        if (stopping) {
          if (slots.size === 0) finish(exitCode);
          return;
        }
        const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
        if (!serving) {
          process.stderr.write(`orrery: API worker ${index} failed to start (${how})\n`);
          stopAll('SIGTERM', code === null || code === 0 ? 1 : code);
          return;
        }
        const livedMs = Date.now() - (slot?.started ?? 0);
        print(`orrery: API worker ${index} (pid ${worker.process.pid}) stopped (${how}); starting a new one`);
        setTimeout(() => !stopping && fork(index), livedMs < 5_000 ? 1_000 : 0);
      });
    };

    process.once('SIGTERM', () => {
      print('orrery: SIGTERM received, stopping the API workers');
      stopAll('SIGTERM', 0);
    });
    process.once('SIGINT', () => {
      print('orrery: SIGINT received, stopping the API workers');
      stopAll('SIGTERM', 0);
    });
    print(`orrery: starting ${options.workers} API worker processes (no services in this process)`);
    for (let index = 1; index <= options.workers; index++) fork(index);
  });
}
