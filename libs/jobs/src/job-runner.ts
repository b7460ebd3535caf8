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
