import { Logger } from '@nestjs/common';
import type {
  EnqueueOptions,
  EnqueueResult,
  JobHandlerFn,
  JobHandlerOptions,
  JobHandlerStatus,
  JobPayload,
  PeriodicJobOptions,
  PeriodicJobStatus,
  TickObserver,
  TickTiming,
} from './job.types';

/**
 * The seam between services and the job backend (architecture decision 8). Two drivers implement it:
 * `BullMqJobRunner` (Redis, any number of replicas) and `InProcessJobRunner` (embedded mode, one
 * process). It is also the Nest injection token for whichever driver `JobsModule` chose.
 *
 * Contracts every driver keeps (the shared contract suite checks them):
 * - a periodic job runs about once per interval however many processes register it, never two ticks
 *   of one job at once, and only in processes that registered it;
 * - a key de-duplicates a job while it is waiting, delayed or running; `replace` swaps a waiting or
 *   delayed copy and queues behind a running one;
 * - handlers may run more than once for the same work (a crash mid-run means redelivery), so they
 *   must be idempotent: re-check preconditions in their own transaction.
 */
export abstract class JobRunner {
  private readonly tickObservers = new Set<TickObserver>();
  private readonly tickLogger = new Logger('PeriodicJobs');

  /**
   * Calls `observer` after every periodic tick this process runs, with its duration (metrics hook).
   * Returns the unsubscribe function. An observer that throws is ignored.
   */
  onTick(observer: TickObserver): () => void {
    this.tickObservers.add(observer);
    return () => this.tickObservers.delete(observer);
  }

  /**
   * Runs one periodic tick and times it, as upstream's loop services do: the duration is logged at
   * debug and handed to the `onTick` observers; a tick longer than its interval is a warning (the
   * next tick starts late). The handler's error, if any, is rethrown after the timing is recorded.
   */
  protected async timeTick(name: string, everyMillis: number, run: () => Promise<void>): Promise<void> {
    const started = performance.now();
    let failed = false;
    try {
      await run();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const timing: TickTiming = { name, durationMs: performance.now() - started, everyMillis, failed };
      const seconds = (timing.durationMs / 1000).toFixed(3);
      this.tickLogger.debug(`Periodic job ${name}: tick took ${seconds} s`);
      if (timing.durationMs > everyMillis) {
        this.tickLogger.warn(
          `Periodic job ${name}: tick took ${seconds} s, longer than its interval of ${everyMillis / 1000} s`,
        );
      }
      for (const observer of this.tickObservers) {
        try {
          observer(timing);
        } catch {
          // An observer's failure must not become the tick's.
        }
      }
    }
  }

  /** Registers a periodic job in this process; throws on a duplicate name. May be called after start. */
  abstract registerPeriodic(name: string, options: PeriodicJobOptions): void;

  /** Registers the per-item handler for `name` in this process; throws on a duplicate name. */
  abstract registerHandler<P extends object = JobPayload>(
    name: string,
    handler: JobHandlerFn<P>,
    options?: JobHandlerOptions,
  ): void;

  /** Queues one item for the handler `name` (which may live in another process). */
  abstract enqueue<P extends object = JobPayload>(
    name: string,
    payload: P,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>;

  /** Starts the workers and schedules of everything registered so far. */
  abstract start(): Promise<void>;

  /** Stops taking work and waits up to `timeoutMs` for running jobs; idempotent. */
  abstract stop(timeoutMs?: number): Promise<void>;

  /** For a readiness probe: false while a worker or the connection is down. */
  abstract isHealthy(): boolean;

  /** The schedule and live workers of a periodic job (registered here or not). */
  abstract describePeriodic(name: string): Promise<PeriodicJobStatus>;

  /** Every periodic job known in the namespace (on Redis: every schedule, whoever created it). */
  abstract listPeriodic(): Promise<PeriodicJobStatus[]>;

  /** Queue depth and live workers of a per-item handler (registered here or not). */
  abstract describeHandler(name: string): Promise<JobHandlerStatus>;
}
