import type { Instant } from '@orrery/domain';

/**
 * The default payload type. Payloads cross Redis as JSON: keep them to plain data (ids, numbers, ISO
 * strings). Handlers and `enqueue` accept any object type (interfaces included) as `P`.
 */
export type JobPayload = Record<string, unknown>;

/** What a per-item handler learns about the delivery it is running. */
export interface JobContext {
  /** The handler (queue) name. */
  readonly name: string;
  /** The driver's id for this job; stable across retries of the same job. */
  readonly id: string;
  /** The de-duplication key the job was enqueued with, if any. */
  readonly key: string | undefined;
  /** 1 on the first try, 2 on the first retry, … */
  readonly attempt: number;
}

/** What a periodic handler learns about the tick it is running. */
export interface PeriodicTickContext {
  readonly name: string;
  /** The driver's id for this tick (on Redis: one per scheduled slot). */
  readonly id: string;
  /** When the tick was due (may be a little before it started). */
  readonly scheduledAt: Instant;
}

export type JobHandlerFn<P extends object = JobPayload> = (payload: P, context: JobContext) => Promise<void>;
export type PeriodicHandlerFn = (context: PeriodicTickContext) => Promise<void>;

/** One periodic tick this process ran (JobRunner.onTick). */
export interface TickTiming {
  readonly name: string;
  /** Wall-clock duration of the handler. */
  readonly durationMs: number;
  /** The job's interval; a longer tick delays the next one. */
  readonly everyMillis: number;
  /** The handler threw. */
  readonly failed: boolean;
}

export type TickObserver = (timing: TickTiming) => void;

export interface PeriodicJobOptions {
  /** The interval; a function is read once, when the runner starts the job (e.g. to read settings). */
  readonly everySeconds: number | (() => number);
  readonly handler: PeriodicHandlerFn;
  /** Also tick as soon as this process starts (coalesced with a tick already queued or running). */
  readonly runOnStart?: boolean;
}

export interface JobHandlerOptions {
  /** How many jobs of this name one process runs at once (default 1). */
  readonly concurrency?: number;
}

export type JobBackoff = { readonly type: 'fixed' | 'exponential'; readonly delaySeconds: number };

export interface EnqueueOptions {
  /**
   * De-duplication key: while a job with this key is waiting, delayed or running, enqueuing the same
   * key again is a no-op. Once it completes or finally fails, the key is free again.
   */
  readonly key?: string;
  /** Run no earlier than this many seconds from now (exclusive with runAt). */
  readonly delaySeconds?: number;
  /** Run no earlier than this instant (exclusive with delaySeconds). */
  readonly runAt?: Instant;
  /**
   * With a key: a waiting or delayed copy is swapped for this payload and due time; a running copy
   * is left alone and this one is queued to run after it finishes.
   */
  readonly replace?: boolean;
  /** Total tries including the first (default 1). */
  readonly attempts?: number;
  /** Delay between tries (default fixed 1 s). */
  readonly backoff?: JobBackoff;
}

export interface EnqueueResult {
  /** The id of the job that will run this work (an existing one when de-duplicated). */
  readonly id: string;
  /** True when an existing job with the same key absorbed this request. */
  readonly deduplicated: boolean;
}

export interface PeriodicJobStatus {
  readonly name: string;
  readonly everySeconds: number | null;
  /** The next due tick, or null when no schedule exists. */
  readonly nextRunAt: Instant | null;
  /** Live workers able to run this job, named `{jobName}-{hostname}-{pid}`. */
  readonly workers: readonly string[];
}

export interface JobHandlerStatus {
  readonly name: string;
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly failed: number;
  readonly workers: readonly string[];
}
