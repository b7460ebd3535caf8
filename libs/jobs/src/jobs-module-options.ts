/** Plain options for `JobsModule.forRoot`; the app maps settings (PREFECT_* env) onto them. */
export interface JobsModuleOptions {
  /** `bullmq` for Redis (any number of replicas); `in-process` for the embedded single process. */
  readonly driver: 'bullmq' | 'in-process';
  /** Required with `bullmq`. */
  readonly redis?: { readonly url: string };
  /** Key namespace shared by the API and every service (default `orrery`). */
  readonly prefix?: string;
  /** Finally-failed jobs kept per queue for inspection (default 1000 on Redis, 100 in process). */
  readonly keepFailed?: number;
  /** Completed jobs kept per queue (Redis only, default 100). */
  readonly keepCompleted?: number;
  /** How often workers and the Redis connection are checked (default 5000 ms). */
  readonly supervisionIntervalMs?: number;
  /** Lock of a running per-item job on Redis; redelivery after a crash takes 1–3× this (default 30 s). */
  readonly itemLockDurationMs?: number;
  /** How long shutdown waits for running jobs before closing anyway (default 10 s). */
  readonly shutdownTimeoutMs?: number;
}

export const JOBS_MODULE_OPTIONS = Symbol('JOBS_MODULE_OPTIONS');
