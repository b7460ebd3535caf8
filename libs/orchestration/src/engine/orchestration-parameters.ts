import type { ApiVersion } from '../support/versions';

/** Per-request inputs of the rules (spec-api §4.1 item 10). */
export interface OrchestrationParameters {
  /** Parsed `X-PREFECT-API-VERSION`; null when absent (treated as the latest). */
  apiVersion: ApiVersion | null;
  /** Version from `User-Agent: prefect/<version> …`; null when absent. */
  clientVersion: string | null;
}

/** Server settings the rules read (spec-api §8.5); the caller maps `@orrery/config` onto these. */
export interface OrchestrationSettings {
  /** PREFECT_SERVER_TASKS_TAG_CONCURRENCY_SLOT_WAIT_SECONDS */
  tagConcurrencySlotWaitSeconds: number;
  /** PREFECT_SERVER_TASKS_MAX_CACHE_KEY_LENGTH */
  maxCacheKeyLength: number;
  /** PREFECT_SERVER_DEPLOYMENTS_CONCURRENCY_SLOT_WAIT_SECONDS */
  deploymentConcurrencySlotWaitSeconds: number;
  /** PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION */
  initialDeploymentLeaseDurationSeconds: number;
  /** PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS (Retry-After cap, non-tag limits) */
  maximumConcurrencySlotWaitSeconds: number;
}

export const DEFAULT_ORCHESTRATION_SETTINGS: Readonly<OrchestrationSettings> = Object.freeze({
  tagConcurrencySlotWaitSeconds: 10,
  maxCacheKeyLength: 2000,
  deploymentConcurrencySlotWaitSeconds: 30,
  initialDeploymentLeaseDurationSeconds: 300,
  maximumConcurrencySlotWaitSeconds: 30,
});

/** Task-run tag leases never expire on their own (Prefect: ~100 years); release is explicit. */
export const TAG_LEASE_TTL_SECONDS = 100 * 365 * 24 * 3600;
