import { Injectable, Logger } from '@nestjs/common';
import { Instant, pythonDateString, scheduleDates, scheduleZone, uuid7 } from '@orrery/domain';
import { type NewScheduledRun, type SchedulableDeployment, SchedulerRepository } from '@orrery/persistence';
import { randomRunName } from './run-name';

/**
 * How far and how many runs to schedule (spec-services-events-ha §2.2), applied per active schedule:
 * dates from `start`, at most `maxRuns`, none after `end`, stopping once there are `minRuns` dates
 * and the last is at or past `start + minTimeSeconds`.
 */
export interface SchedulingWindow {
  readonly start: Instant;
  readonly end: Instant;
  readonly minTimeSeconds: number;
  readonly minRuns: number;
  readonly maxRuns: number;
}

/** The state message of an auto-scheduled run's initial state (upstream's). */
export const SCHEDULED_RUN_MESSAGE = 'Flow run scheduled';
/** The tag every auto-scheduled run carries first. */
export const AUTO_SCHEDULED_TAG = 'auto-scheduled';

/** Class names upstream shows as a schedule's `created_by.display_value` when it has no slug. */
function scheduleClassName(schedule: SchedulableDeployment['schedules'][number]['schedule']): string {
  if ('interval' in schedule) return 'IntervalSchedule';
  if ('cron' in schedule) return 'CronSchedule';
  return 'RRuleSchedule';
}

/**
 * The runs of deployments' schedules (upstream's `_generate_scheduled_flow_runs` and
 * `_insert_scheduled_flow_runs`): generated in memory, then inserted in batches with their Scheduled
 * states by one idempotent statement each (SchedulerRepository.insertScheduledRuns). Inserting the
 * same dates again — another replica, the recent-deployments loop, a retry — creates nothing, because
 * every run's idempotency key `scheduled {deployment_id} {schedule_id} {date}` is unique per flow.
 *
 * No `prefect.flow-run.Scheduled` events are emitted for these runs, as upstream (whose scheduler
 * inserts rows without orchestration): a filled horizon would otherwise flood the bus with up to
 * MAX_RUNS events per schedule. Later transitions (Late, Pending, …) emit as usual.
 */
@Injectable()
export class DeploymentRunScheduler {
  private readonly logger = new Logger('scheduler');

  constructor(private readonly repository: SchedulerRepository) {}

  /**
   * Generates the runs of the given deployments (missing ones are skipped; a deployment whose
   * schedules cannot be expanded is logged and skipped) and inserts them `insertBatchSize` at a time.
   * Returns the ids of the runs actually created.
   */
  async scheduleDeployments(
    deploymentIds: readonly string[],
    window: SchedulingWindow,
    insertBatchSize: number,
  ): Promise<string[]> {
    const deployments = await this.repository.loadForScheduling(deploymentIds);
    const runs: NewScheduledRun[] = [];
    for (const deployment of deployments) {
      try {
        runs.push(...this.generate(deployment, window));
      } catch (error) {
        this.logger.error(`Error scheduling deployment ${deployment.id}: ${String(error)}`);
      }
    }
    const inserted: string[] = [];
    for (let i = 0; i < runs.length; i += Math.max(1, insertBatchSize)) {
      inserted.push(...(await this.repository.insertScheduledRuns(runs.slice(i, i + insertBatchSize))));
    }
    return inserted;
  }

  /** The runs of one deployment's active schedules in the window (not inserted). */
  generate(
    deployment: SchedulableDeployment,
    window: SchedulingWindow,
    now = Instant.now(),
  ): NewScheduledRun[] {
    const runs: NewScheduledRun[] = [];
    const minUntil = window.start.plusSeconds(window.minTimeSeconds);
    const tags = [AUTO_SCHEDULED_TAG, ...deployment.tags];
    const labels = {
      ...(deployment.labels ?? {}),
      'prefect.flow.id': deployment.flowId,
      'prefect.deployment.id': deployment.id,
    };
    for (const schedule of deployment.schedules) {
      const candidates = scheduleDates(schedule.schedule, {
        start: window.start,
        end: window.end,
        n: window.maxRuns,
      });
      // Time windows beat counts: stop at the first date that satisfies both minimums.
      const dates: Instant[] = [];
      for (const date of candidates) {
        dates.push(date);
        if (dates.length >= window.minRuns && !date.isBefore(minUntil)) break;
      }
      const zone = scheduleZone(schedule.schedule);
      const parameters = { ...deployment.parameters, ...schedule.parameters };
      const createdBy = {
        id: schedule.id,
        type: 'SCHEDULE',
        display_value: schedule.slug ?? scheduleClassName(schedule.schedule),
      };
      for (const date of dates) {
        runs.push({
          id: uuid7(),
          name: randomRunName(),
          flowId: deployment.flowId,
          deploymentId: deployment.id,
          deploymentVersion: deployment.version,
          workQueueName: deployment.workQueueName,
          workQueueId: deployment.workQueueId,
          parameters,
          infrastructureDocumentId: deployment.infrastructureDocumentId,
          idempotencyKey: `scheduled ${deployment.id} ${schedule.id} ${pythonDateString(date, zone)}`,
          tags,
          labels,
          autoScheduled: true,
          createdBy,
          scheduledTime: date,
          stateId: uuid7(),
          stateTimestamp: now,
          stateMessage: SCHEDULED_RUN_MESSAGE,
        });
      }
    }
    return runs;
  }
}
