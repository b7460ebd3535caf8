import { Logger } from '@nestjs/common';
import { Instant, uuid7 } from '@orrery/domain';
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

type ItemState = 'delayed' | 'waiting' | 'active';

interface Item {
  readonly id: string;
  readonly name: string;
  readonly payload: JobPayload;
  readonly key: string | undefined;
  readonly options: EnqueueOptions;
  state: ItemState;
  attempt: number;
  dueAt: number;
  timer: NodeJS.Timeout | undefined;
}

interface HandlerEntry {
  readonly handler: JobHandlerFn;
  readonly concurrency: number;
}

interface ItemQueue {
  readonly items: Map<string, Item>;
  /** key → id of the live (waiting, delayed or active) item holding it. */
  readonly keys: Map<string, string>;
  /** key → the item to start once the active holder of that key finishes (replace while active). */
  readonly nextAfterActive: Map<string, Item>;
  readonly waiting: Item[];
  active: number;
  failed: Item[];
}

interface PeriodicEntry {
  readonly options: PeriodicJobOptions;
  everyMillis: number;
  nextRunAt: number | undefined;
  timer: NodeJS.Timeout | undefined;
}

export interface InProcessJobRunnerOptions {
  /** How many finally-failed jobs to keep per handler for inspection (default 100). */
  readonly keepFailed?: number;
}

/**
 * The embedded-mode driver: timers and an in-memory keyed queue in this one process, with the same
 * de-dup/replace/retry semantics as the Redis driver. Nothing survives a restart, which is fine for
 * the embedded mode (periodic monitors rebuild their work from the database on the next tick).
 *
 * Periodic cadence is start to start: the next tick is due `every` after the previous one started,
 * or at once when the previous one overran, so ticks never overlap.
 */
export class InProcessJobRunner extends JobRunner {
  private readonly logger = new Logger(InProcessJobRunner.name);
  private readonly handlers = new Map<string, HandlerEntry>();
  private readonly queues = new Map<string, ItemQueue>();
  private readonly periodic = new Map<string, PeriodicEntry>();
  private readonly running = new Set<Promise<void>>();
  private readonly keepFailed: number;
  private started = false;
  private stopped = false;

  constructor(options: InProcessJobRunnerOptions = {}) {
    super();
    this.keepFailed = options.keepFailed ?? 100;
  }

  registerPeriodic(name: string, options: PeriodicJobOptions): void {
    JobRunnerValidation.assertName(name);
    if (this.periodic.has(name)) throw new Error(`Periodic job ${name} is registered twice in this process`);
    const entry: PeriodicEntry = {
      options,
      everyMillis: JobRunnerValidation.intervalMillis(name, options),
      nextRunAt: undefined,
      timer: undefined,
    };
    this.periodic.set(name, entry);
    if (this.started && !this.stopped) this.startPeriodic(name, entry);
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
    this.handlers.set(name, { handler: handler as JobHandlerFn, concurrency });
    if (this.started) this.pump(name);
  }

  enqueue<P extends object = JobPayload>(
    name: string,
    payload: P,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    try {
      return Promise.resolve(this.enqueueNow(name, payload, options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    for (const [name, entry] of this.periodic) this.startPeriodic(name, entry);
    for (const name of this.handlers.keys()) this.pump(name);
    return Promise.resolve();
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const entry of this.periodic.values()) clearTimeout(entry.timer);
    for (const queue of this.queues.values()) {
      for (const item of queue.items.values()) clearTimeout(item.timer);
    }
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.allSettled([...this.running]).then(() => 'done' as const),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(`Stopped with ${this.running.size} job(s) still running after ${timeoutMs} ms`);
    }
  }

  isHealthy(): boolean {
    return this.started && !this.stopped;
  }

  describePeriodic(name: string): Promise<PeriodicJobStatus> {
    const entry = this.periodic.get(name);
    return Promise.resolve({
      name,
      everySeconds: entry === undefined ? null : entry.everyMillis / 1000,
      nextRunAt: entry?.nextRunAt === undefined ? null : Instant.fromEpochMillis(entry.nextRunAt),
      workers: entry !== undefined && this.isHealthy() ? [`${name}-in-process-${process.pid}`] : [],
    });
  }

  async listPeriodic(): Promise<PeriodicJobStatus[]> {
    const names = [...this.periodic.keys()].sort();
    return Promise.all(names.map((name) => this.describePeriodic(name)));
  }

  describeHandler(name: string): Promise<JobHandlerStatus> {
    const queue = this.queues.get(name);
    const items = queue === undefined ? [] : [...queue.items.values()];
    return Promise.resolve({
      name,
      waiting: items.filter((item) => item.state === 'waiting').length,
      delayed: items.filter((item) => item.state === 'delayed').length,
      active: queue?.active ?? 0,
      failed: queue?.failed.length ?? 0,
      workers: this.handlers.has(name) && this.isHealthy() ? [`${name}-in-process-${process.pid}`] : [],
    });
  }

  private enqueueNow(name: string, payload: object, options: EnqueueOptions): EnqueueResult {
    JobRunnerValidation.assertName(name);
    JobRunnerValidation.assertReplaceHasKey(options);
    JobRunnerValidation.attempts(options);
    const delay = JobRunnerValidation.delayMillis(options);
    const queue = this.queue(name);
    const item: Item = {
      id: uuid7(),
      name,
      // A JSON round trip gives the handler the same copy semantics it gets from Redis.
      payload: JSON.parse(JSON.stringify(payload)) as JobPayload,
      key: options.key,
      options,
      state: 'delayed',
      attempt: 1,
      dueAt: Date.now() + delay,
      timer: undefined,
    };
    if (item.key !== undefined) {
      const holderId = queue.keys.get(item.key);
      const holder = holderId === undefined ? undefined : queue.items.get(holderId);
      if (holder !== undefined) {
        if (options.replace !== true) return { id: holder.id, deduplicated: true };
        if (holder.state === 'active') {
          queue.nextAfterActive.set(item.key, item);
          return { id: item.id, deduplicated: false };
        }
        this.remove(queue, holder);
      }
      queue.keys.set(item.key, item.id);
    }
    this.schedule(queue, item, delay);
    return { id: item.id, deduplicated: false };
  }

  private queue(name: string): ItemQueue {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = {
        items: new Map(),
        keys: new Map(),
        nextAfterActive: new Map(),
        waiting: [],
        active: 0,
        failed: [],
      };
      this.queues.set(name, queue);
    }
    return queue;
  }

  private schedule(queue: ItemQueue, item: Item, delay: number): void {
    queue.items.set(item.id, item);
    item.dueAt = Date.now() + delay;
    if (delay <= 0) {
      this.makeWaiting(queue, item);
      return;
    }
    item.state = 'delayed';
    item.timer = setTimeout(() => {
      item.timer = undefined;
      if (!this.stopped) this.makeWaiting(queue, item);
    }, delay);
  }

  private makeWaiting(queue: ItemQueue, item: Item): void {
    item.state = 'waiting';
    queue.waiting.push(item);
    if (this.started) this.pump(item.name);
  }

  private remove(queue: ItemQueue, item: Item): void {
    clearTimeout(item.timer);
    queue.items.delete(item.id);
    const index = queue.waiting.indexOf(item);
    if (index >= 0) queue.waiting.splice(index, 1);
    if (item.key !== undefined && queue.keys.get(item.key) === item.id) queue.keys.delete(item.key);
  }

  private pump(name: string): void {
    const entry = this.handlers.get(name);
    const queue = this.queues.get(name);
    if (entry === undefined || queue === undefined || this.stopped) return;
    while (queue.active < entry.concurrency && queue.waiting.length > 0) {
      const item = queue.waiting.shift() as Item;
      item.state = 'active';
      queue.active += 1;
      this.track(this.runItem(entry, queue, item));
    }
  }

  private async runItem(entry: HandlerEntry, queue: ItemQueue, item: Item): Promise<void> {
    let failure: unknown;
    try {
      await entry.handler(item.payload, {
        name: item.name,
        id: item.id,
        key: item.key,
        attempt: item.attempt,
      });
    } catch (error) {
      failure = error;
    }
    queue.active -= 1;
    const attempts = JobRunnerValidation.attempts(item.options);
    if (failure !== undefined && item.attempt < attempts && !this.stopped) {
      this.logger.warn(
        `Job ${item.name} ${item.id} failed on try ${item.attempt}/${attempts}: ${describe(failure)}`,
      );
      const delay = JobRunnerValidation.backoffMillis(item.options, item.attempt);
      item.attempt += 1;
      this.schedule(queue, item, delay);
    } else {
      this.remove(queue, item);
      if (failure !== undefined) {
        this.logger.error(
          `Job ${item.name} ${item.id} failed for good after ${item.attempt} tries: ${describe(failure)}`,
        );
        queue.failed.push(item);
        if (queue.failed.length > this.keepFailed) queue.failed.shift();
      }
      this.releaseKey(queue, item);
    }
    this.pump(item.name);
  }

  /** After the key's holder finished for good: start the replacement queued behind it, if any. */
  private releaseKey(queue: ItemQueue, item: Item): void {
    if (item.key === undefined) return;
    const next = queue.nextAfterActive.get(item.key);
    if (next === undefined || this.stopped) return;
    queue.nextAfterActive.delete(item.key);
    queue.keys.set(item.key, next.id);
    this.schedule(queue, next, Math.max(0, next.dueAt - Date.now()));
  }

  private startPeriodic(name: string, entry: PeriodicEntry): void {
    this.armPeriodic(name, entry, entry.options.runOnStart === true ? 0 : entry.everyMillis);
  }

  private armPeriodic(name: string, entry: PeriodicEntry, delay: number): void {
    entry.nextRunAt = Date.now() + delay;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (!this.stopped) this.tick(name, entry);
    }, delay);
  }

  private tick(name: string, entry: PeriodicEntry): void {
    const scheduledAt = Instant.fromEpochMillis(entry.nextRunAt ?? Date.now());
    const startedAt = Date.now();
    entry.nextRunAt = undefined;
    const run = (async () => {
      try {
        await this.timeTick(name, entry.everyMillis, () =>
          entry.options.handler({ name, id: uuid7(), scheduledAt }),
        );
      } catch (error) {
        this.logger.error(`Periodic job ${name} failed: ${describe(error)}`);
      }
    })();
    this.track(
      run.then(() => {
        if (!this.stopped)
          this.armPeriodic(name, entry, Math.max(0, startedAt + entry.everyMillis - Date.now()));
      }),
    );
  }

  private track(promise: Promise<void>): void {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
