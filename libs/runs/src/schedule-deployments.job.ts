/**
 * The per-page job of the scheduler service (`libs/services/scheduler`): generate and insert the
 * scheduled runs of these deployments. The scheduler's loops fan pages out as this job; the API
 * enqueues it for one deployment when its schedules may have changed (created, updated, resumed), so
 * the runs exist within a second instead of at the next recent-deployments tick. Idempotent.
 */
export const SCHEDULE_DEPLOYMENTS_JOB = 'schedule-deployments';

export interface ScheduleDeploymentsPayload {
  readonly deploymentIds: readonly string[];
}
