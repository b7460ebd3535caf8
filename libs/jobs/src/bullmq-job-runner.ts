import { Logger } from '@nestjs/common';
import { Instant, uuid7 } from '@orrery/domain';
import { type ConnectionOptions, type Job, type JobsOptions, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { hostname } from 'node:os';
import { JobRunner } from './job-runner';
import { JobRunnerValidation } from './job-runner-validation';
import type {
  EnqueueOptions,
  EnqueueResult,
  JobHandlerFn,
  JobHandlerOptions,
  JobHandlerStatus,
  JobPayload,
  PeriodicJobOptions,
  PeriodicJobStatus,
} from './job.types';
import { instruments } from '@orrery/telemetry';

export interface BullMqJobRunnerOptions {
  /** `redis://` or `rediss://` URL of the Redis the whole cluster shares. */
  readonly redisUrl: string;
  /** Key namespace shared by the API and every service (default `orrery`). */
  readonly prefix?: string;
  /** Finally-failed jobs kept per queue for inspection (default 1000, and at most 7 days). */
  readonly keepFailed?: number;
  /** Completed jobs kept per queue (default 100). */
  readonly keepCompleted?: number;
  /** How often workers and the connection are checked (default 5000 ms). */
  readonly supervisionIntervalMs?: number;
  /**
   * Lock of a running per-item job: a crashed worker's job is redelivered after about 1–3× this
   * (default 30 000 ms). Periodic jobs derive theirs from the interval instead.
   */
  readonly itemLockDurationMs?: number;
}

interface WorkerRecord {
  readonly queueName: string;
  readonly create: () => Worker;
  worker: Worker;
}

const RUN_ON_START_KEY = 'run-on-start';
const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * The Redis driver, on BullMQ (docs/adr/0002-job-runner-bullmq.md).
 *
 * - Each periodic job is a BullMQ job scheduler (`upsertJobScheduler`, `every`) on its own queue
 *   `periodic.{name}` whose global concurrency is 1: BullMQ gives each slot one deterministic job id
 *   (so N replicas upserting the same scheduler still produce one job per slot) and never starts a
 *   second job of that queue while one is active (so ticks never overlap). A tick whose worker died
 *   is recovered by the stalled checker and then skipped: the next slot supersedes it. The lock of a
 *   periodic job is a fraction of its interval so a dead worker frees the queue within about one
 *   interval.
 * - Each handler has a queue `item.{name}`; a key is a BullMQ de-duplication id (held while the job
 *   waits, is delayed, retries or runs; released when it completes or finally fails).
 * - A supervisor re-creates a worker whose loop has stopped, re-creates a scheduler that vanished
 *   (a Redis failover to a replica that missed it) and pings Redis; `isHealthy()` reports the result.
 */
export class BullMqJobRunner extends JobRunner {
  private readonly logger = new Logger(BullMqJobRunner.name);
  private readonly prefix: string;
  private readonly redisUrl: string;
  private readonly connection: ConnectionOptions;
  private readonly keepFailed: number;
  private readonly keepCompleted: number;
  private readonly supervisionIntervalMs: number;
  private readonly itemLockDurationMs: number;
  private readonly queues = new Map<string, Queue>();
  private readonly periodic = new Map<string, PeriodicJobOptions>();
  private readonly periodicEvery = new Map<string, number>();
  private readonly handlers = new Map<string, { handler: JobHandlerFn; concurrency: number }>();
  private readonly workers: WorkerRecord[] = [];
  private readonly pending = new Set<Promise<void>>();
  /** Last logged error per source, so a reconnect loop logs once per 10 s instead of per attempt. */
  private readonly lastErrors = new Map<string, { message: string; at: number }>();
  private health: Redis | undefined;
  private supervisor: NodeJS.Timeout | undefined;
  private redisReachable = false;
  private supervising = false;
  private started = false;
  private stopped = false;

  constructor(options: BullMqJobRunnerOptions) {
    super();
    this.prefix = options.prefix ?? 'orrery';
    this.redisUrl = options.redisUrl;
    this.keepFailed = options.keepFailed ?? 1000;
    this.keepCompleted = options.keepCompleted ?? 100;
    this.supervisionIntervalMs = options.supervisionIntervalMs ?? 5000;
    this.itemLockDurationMs = options.itemLockDurationMs ?? 30_000;
    this.connection = {
      url: options.redisUrl,
      // BullMQ requires null here for its blocking connections: commands wait out a reconnect.
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      // After a failover the old primary answers READONLY: reconnect (DNS/sentinel lead to the new one).
      reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
    };
  }

  static periodicQueueName(name: string): string {
    return `periodic.${name}`;
  }

  static itemQueueName(name: string): string {
    return `item.${name}`;
  }

  /** What `getWorkers()` shows for a worker of `jobName` in this process. */
  static workerName(jobName: string): string {
    return `${jobName}-${hostname()}-${process.pid}`;
  }

  registerPeriodic(name: string, options: PeriodicJobOptions): void {
    JobRunnerValidation.assertName(name);
    if (this.periodic.has(name)) throw new Error(`Periodic job ${name} is registered twice in this process`);
    this.periodicEvery.set(name, JobRunnerValidation.intervalMillis(name, options));
    this.periodic.set(name, options);
    if (this.started && !this.stopped) this.track(this.startPeriodic(name, options));
  }

  registerHandler<P extends object = JobPayload>(
    name: string,
    handler: JobHandlerFn<P>,
    options: JobHandlerOptions = {},
  ): void {
    JobRunnerValidation.assertName(name);
    if (this.handlers.has(name)) throw new Error(`Job handler ${name} is registered twice in this process`);
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`Job handler ${name}: concurrency must be an integer ≥ 1`);
    }
    // The payload type is the handler's business; the queue stores plain JSON objects.
    const entry = { handler: handler as JobHandlerFn, concurrency };
    this.handlers.set(name, entry);
    if (this.started && !this.stopped) this.startHandler(name, entry.handler, concurrency);
  }

  async enqueue<P extends object = JobPayload>(
    name: string,
    payload: P,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    JobRunnerValidation.assertName(name);
    JobRunnerValidation.assertReplaceHasKey(options);
    // BullMQ's connections wait for Redis indefinitely; while it is known to be away (the health
    // connection, which never queues, is down), fail at once with the broker-unavailable error
    // ioredis itself gives, so a request answers 503 (or moves on, when enqueueing is best effort).
    const status = this.health?.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') {
      throw new Error('Connection is closed.');
    }
    const attempts = JobRunnerValidation.attempts(options);
    const backoff = options.backoff ?? { type: 'fixed', delaySeconds: 1 };
    const queue = this.queue(BullMqJobRunner.itemQueueName(name));
    const jobId = uuid7();
    const jobOptions: JobsOptions = {
      jobId,
      delay: JobRunnerValidation.delayMillis(options),
      attempts,
      backoff: { type: backoff.type, delay: backoff.delaySeconds * 1000 },
      removeOnComplete: { count: this.keepCompleted },
      removeOnFail: { count: this.keepFailed, age: WEEK_SECONDS },
    };
    if (options.key !== undefined) {
      if (options.replace === true) {
        // BullMQ replaces only a delayed copy and queues behind an active one; a copy that is
        // already waiting (due) is removed here first so the new due time and payload win.
        await this.removeIfWaiting(queue, options.key);
        jobOptions.deduplication = { id: options.key, replace: true, keepLastIfActive: true };
      } else {
        jobOptions.deduplication = { id: options.key };
      }
    }
    const job = await queue.add(name, payload, jobOptions);
    const id = job.id ?? jobId;
    // A replacement queued behind a running copy keeps the id we chose (BullMQ creates it later).
    if (options.replace === true) return { id: jobId, deduplicated: false };
    return { id, deduplicated: id !== jobId };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const health = new Redis(this.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
    });
    health.on('error', () => undefined); // reported through isHealthy(), not as a crash
    try {
      await health.connect();
    } catch (error) {
      health.disconnect();
      this.started = false;
      throw new Error(`Job runner: Redis at ${redactUrl(this.redisUrl)} is unreachable: ${describe(error)}`);
    }
    this.health = health;
    this.redisReachable = true;
    for (const [name, options] of this.periodic) await this.startPeriodic(name, options);
    for (const [name, entry] of this.handlers) this.startHandler(name, entry.handler, entry.concurrency);
    this.supervisor = setInterval(() => this.track(this.supervise()), this.supervisionIntervalMs);
    this.supervisor.unref();
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.supervisor);
    // Every step is bounded: during a Redis outage BullMQ commands wait for the connection forever.
    await settleWithin(Promise.allSettled([...this.pending]), timeoutMs);
    await Promise.all(this.workers.map((record) => this.closeWorker(record.worker, timeoutMs)));
    const closed = await settleWithin(
      Promise.allSettled([...this.queues.values()].map((queue) => queue.close())),
      1000,
    );
    if (!closed) {
      this.logger.warn('Queues did not close within 1 s (Redis unreachable?); disconnecting them');
      for (const queue of this.queues.values()) void queue.disconnect().catch(() => undefined);
    }
    this.health?.disconnect();
  }

  isHealthy(): boolean {
    return (
      this.started &&
      !this.stopped &&
      this.redisReachable &&
      this.workers.every((record) => record.worker.isRunning())
    );
  }

  async describePeriodic(name: string): Promise<PeriodicJobStatus> {
    const queue = this.queue(BullMqJobRunner.periodicQueueName(name));
    const [scheduler, workers] = await Promise.all([queue.getJobScheduler(name), this.workerNames(queue)]);
    return {
      name,
      everySeconds: scheduler?.every === undefined ? null : Number(scheduler.every) / 1000,
      nextRunAt: scheduler?.next === undefined ? null : Instant.fromEpochMillis(Number(scheduler.next)),
      workers,
    };
  }

  async listPeriodic(): Promise<PeriodicJobStatus[]> {
    // Schedules live under `{prefix}:periodic.{name}:repeat`; SCAN is fine for a CLI listing.
    const marker = `${this.prefix}:${BullMqJobRunner.periodicQueueName('')}`;
    const names = new Set<string>();
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${marker}*:repeat`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) names.add(key.slice(marker.length, -':repeat'.length));
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    const statuses = await Promise.all([...names].sort().map((name) => this.describePeriodic(name)));
    return statuses.filter((status) => status.everySeconds !== null);
  }

  async describeHandler(name: string): Promise<JobHandlerStatus> {
    const queue = this.queue(BullMqJobRunner.itemQueueName(name));
    const [counts, workers] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed'),
      this.workerNames(queue),
    ]);
    return {
      name,
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
      failed: counts.failed ?? 0,
      workers,
    };
  }

  private queue(queueName: string): Queue {
    let queue = this.queues.get(queueName);
    if (queue === undefined) {
      queue = new Queue(queueName, { connection: this.connection, prefix: this.prefix });
      queue.on('error', (error: Error) => this.logThrottled(`Queue ${queueName}`, error));
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  private async startPeriodic(name: string, options: PeriodicJobOptions): Promise<void> {
    const every = this.periodicEvery.get(name) as number;
    const queueName = BullMqJobRunner.periodicQueueName(name);
    await this.ensureScheduler(name, every);
    if (options.runOnStart === true) {
      // Coalesces with a run-on-start tick another replica queued and that has not finished yet.
      await this.queue(queueName).add(
        name,
        {},
        {
          deduplication: { id: RUN_ON_START_KEY },
          removeOnComplete: { count: this.keepCompleted },
          removeOnFail: { count: this.keepFailed, age: WEEK_SECONDS },
        },
      );
    }
    // A short lock lets the stalled checker free the queue soon after a worker dies mid-tick; the
    // lock is renewed every half of it while the tick runs, however long that takes.
    const lockDuration = Math.min(30_000, Math.max(250, Math.round(every * 0.4)));
    const processor = async (job: Job): Promise<void> => {
      if (job.stalledCounter > 0) {
        // The worker that started this tick died; the next slot's tick does the same work.
        this.logger.warn(`Periodic job ${name}: skipping tick ${job.id ?? ''} interrupted by a crash`);
        return;
      }
      // The slot the tick was due for: created at `timestamp`, delayed by `delay`.
      const dueAt = job.timestamp + (job.delay ?? 0);
      await this.timeTick(name, every, () =>
        options.handler({ name, id: job.id ?? '', scheduledAt: Instant.fromEpochMillis(dueAt) }),
      );
    };
    this.addWorker(
      queueName,
      name,
      () =>
        new Worker(queueName, processor, {
          connection: this.connection,
          prefix: this.prefix,
          name: BullMqJobRunner.workerName(name),
          concurrency: 1,
          lockDuration,
          stalledInterval: lockDuration,
          maxStalledCount: 1,
          drainDelay: 1,
        }),
    );
  }

  /** Creates or updates the scheduler; an unchanged interval keeps the next slot as it is. */
  private async ensureScheduler(name: string, every: number): Promise<void> {
    const queue = this.queue(BullMqJobRunner.periodicQueueName(name));
    await queue.setGlobalConcurrency(1);
    await queue.upsertJobScheduler(
      name,
      { every },
      {
        name,
        data: {},
        opts: {
          removeOnComplete: { count: this.keepCompleted },
          removeOnFail: { count: this.keepFailed, age: WEEK_SECONDS },
        },
      },
    );
  }

  private startHandler(name: string, handler: JobHandlerFn, concurrency: number): void {
    const queueName = BullMqJobRunner.itemQueueName(name);
    const processor = async (job: Job<JobPayload>): Promise<void> => {
      await handler(job.data, {
        name,
        id: job.id ?? '',
        key: job.deduplicationId,
        attempt: job.attemptsMade + 1,
      });
    };
    this.addWorker(queueName, name, () => {
      const worker = new Worker<JobPayload>(queueName, processor, {
        connection: this.connection,
        prefix: this.prefix,
        name: BullMqJobRunner.workerName(name),
        concurrency,
        lockDuration: this.itemLockDurationMs,
        stalledInterval: this.itemLockDurationMs,
        maxStalledCount: 1,
      });
      worker.on('failed', (job: Job<JobPayload> | undefined, error: Error) => {
        if (job === undefined) return;
        const attempts = job.opts.attempts ?? 1;
        if (job.attemptsMade >= attempts) {
          this.logger.error(
            `Job ${name} ${job.id ?? ''} failed for good after ${job.attemptsMade} tries: ${error.message}`,
          );
        } else {
          this.logger.warn(
            `Job ${name} ${job.id ?? ''} failed on try ${job.attemptsMade}/${attempts}: ${error.message}`,
          );
        }
      });
      return worker;
    });
  }

  private addWorker(queueName: string, jobName: string, create: () => Worker): void {
    const build = (): Worker => {
      const worker = create();
      worker.on('error', (error: Error) => this.logThrottled(`Worker ${jobName}`, error));
      // Another worker's tick or item whose lock expired (its process died): recovered here.
      worker.on('stalled', () => instruments().jobStalled.add(1, { 'orrery.job.name': jobName }));
      return worker;
    };
    this.workers.push({ queueName, create: build, worker: build() });
  }

  /** Heals what a Redis failover or a bug can break without anyone noticing. */
  private async supervise(): Promise<void> {
    // One pass at a time: a slow pass must not overlap the next and re-create a worker twice.
    if (this.stopped || this.supervising) return;
    this.supervising = true;
    try {
      await this.supervisePass();
    } finally {
      this.supervising = false;
    }
  }

  private async supervisePass(): Promise<void> {
    try {
      await this.health?.ping();
      if (!this.redisReachable) this.logger.warn('Redis is reachable again');
      this.redisReachable = true;
    } catch (error) {
      if (this.redisReachable) this.logger.error(`Redis is unreachable: ${describe(error)}`);
      this.redisReachable = false;
      return;
    }
    for (const record of this.workers) {
      if (this.stopped || record.worker.isRunning()) continue;
      this.logger.error(`Worker of ${record.queueName} stopped running; re-creating it`);
      await this.closeWorker(record.worker, 1000);
      if (!this.stopped) record.worker = record.create();
    }
    for (const name of this.periodic.keys()) {
      if (this.stopped) return;
      const queue = this.queue(BullMqJobRunner.periodicQueueName(name));
      try {
        if ((await queue.getJobScheduler(name)) === undefined) {
          this.logger.warn(`Periodic job ${name} lost its schedule (Redis failover?); re-creating it`);
          await this.ensureScheduler(name, this.periodicEvery.get(name) as number);
        }
      } catch (error) {
        this.logger.error(`Periodic job ${name}: schedule check failed: ${describe(error)}`);
      }
    }
  }

  private async removeIfWaiting(queue: Queue, key: string): Promise<void> {
    const current = await queue.getDeduplicationJobId(key);
    if (current === null) return;
    const state = await queue.getJobState(current);
    if (state === 'waiting' || state === 'prioritized') {
      // Refused (returns 0) if a worker took it in the meantime; then it is active and BullMQ
      // queues the replacement behind it.
      await queue.remove(current);
    }
  }

  private async workerNames(queue: Queue): Promise<string[]> {
    const clients = await queue.getWorkers();
    const names = new Set<string>();
    for (const client of clients) {
      const raw = client['rawname'] ?? '';
      const at = raw.indexOf(':w:');
      if (at >= 0) names.add(raw.slice(at + 3));
    }
    return [...names].sort();
  }

  private async closeWorker(worker: Worker, timeoutMs: number): Promise<void> {
    try {
      // Stop taking jobs and wait for the running ones, their completion writes included. (A graceful
      // `close()` cannot be bounded: once called, a later forced close only returns the same promise.)
      // Only on a running worker with Redis reachable: pausing reconnects the blocking client afterwards,
      // which leaks it on a closed worker and keeps retrying against an unreachable Redis.
      const drain = worker.isRunning() && this.redisReachable;
      if (drain && !(await settleWithin(worker.pause(), timeoutMs))) {
        this.logger.warn(
          `Worker ${worker.name}: running jobs not finished after ${timeoutMs} ms; closing anyway`,
        );
      }
      // Nothing left to wait for, so force: it does not block on Redis, which may be unreachable.
      if (!(await settleWithin(worker.close(true), 2000))) {
        this.logger.warn(`Worker ${worker.name} did not close within 2 s`);
      }
    } catch (error) {
      this.logger.error(`Closing worker ${worker.name}: ${describe(error)}`);
    }
  }

  private logThrottled(source: string, error: Error): void {
    const now = Date.now();
    const last = this.lastErrors.get(source);
    if (last !== undefined && last.message === error.message && now - last.at < 10_000) return;
    this.lastErrors.set(source, { message: error.message, at: now });
    this.logger.error(`${source}: ${error.message}`);
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => this.logger.error(describe(error)));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}

/** True when `promise` settled within `ms`; false when the wait gave up (the promise keeps running). */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
