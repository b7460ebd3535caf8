// scheduler: keeps every active schedule of every unpaused deployment stocked with future runs
// (upstream's schedule_deployments and schedule_recent_deployments). Each loop ticks once per interval
// across the cluster, pages through the deployments that need runs in id order, and fans each page out
// as one job; whichever replica takes a job generates and inserts that page's runs. Inserting is
// idempotent (a unique (flow_id, idempotency_key) with ON CONFLICT DO NOTHING), so a job run twice, a
// page picked by both loops, or two replicas racing never duplicate a run.
import { Injectable, Logger } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobHandler, JobQueue, PeriodicJob } from '@orrery/jobs';
import { SchedulerRepository } from '@orrery/persistence';
import {
  DeploymentRunScheduler,
  SCHEDULE_DEPLOYMENTS_JOB,
  type ScheduleDeploymentsPayload,
} from '@orrery/runs';
import { recordServiceAction } from '@orrery/telemetry';

/** Keyset pages looked at per tick at most (a safety net far above any real deployment count). */
const MAX_PAGES_PER_TICK = 10_000;

@Injectable()
export class SchedulerService {
  private readonly logger = new Logger('scheduler');

  constructor(
    @InjectSettings() private readonly settings: Settings,
    private readonly repository: SchedulerRepository,
    private readonly scheduler: DeploymentRunScheduler,
    private readonly jobs: JobQueue,
  ) {
    recordServiceAction('scheduler', 'runs_inserted', 0);
    recordServiceAction('scheduler', 'deployments_scheduled', 0);
  }

  private get config(): Settings['server']['services']['scheduler'] {
    return this.settings.server.services.scheduler;
  }

  /** `schedule_deployments`: deployments with an active schedule short of runs. */
  @PeriodicJob('scheduler', {
    everySeconds: (self: SchedulerService) => self.settings.server.services.scheduler.loopSeconds,
    runOnStart: true,
  })
  async scheduleDeployments(): Promise<void> {
    const now = Instant.now();
    await this.fanOut('scheduler', (afterId) =>
      this.repository.deploymentsToSchedule({
        afterId,
        limit: this.config.deploymentBatchSize,
        now,
        minRuns: this.config.minRuns,
        minScheduledUntil: now.plusSeconds(this.config.minScheduledTime),
      }),
    );
  }

  /**
   * `schedule_recent_deployments`: deployments created or edited within the last loop (plus a second
   * of slack), so a new schedule has runs within seconds. Status changes keep `updated`, so they are
   * not picked up here.
   */
  @PeriodicJob('recent-deployments-scheduler', {
    everySeconds: (self: SchedulerService) =>
      self.settings.server.services.scheduler.recentDeploymentsLoopSeconds,
    runOnStart: true,
  })
  async scheduleRecentDeployments(): Promise<void> {
    const since = Instant.now().minusSeconds(this.config.recentDeploymentsLoopSeconds + 1);
    await this.fanOut('recent', (afterId) =>
      this.repository.recentlyUpdatedDeployments({ afterId, limit: this.config.deploymentBatchSize, since }),
    );
  }

  /** Generates and inserts one page's runs; safe to run any number of times. */
  @JobHandler(SCHEDULE_DEPLOYMENTS_JOB, { concurrency: 2 })
  async schedulePage({ deploymentIds }: ScheduleDeploymentsPayload): Promise<void> {
    const now = Instant.now();
    const inserted = await this.scheduler.scheduleDeployments(
      deploymentIds,
      {
        start: now,
        end: now.plusSeconds(this.config.maxScheduledTime),
        minTimeSeconds: this.config.minScheduledTime,
        minRuns: this.config.minRuns,
        maxRuns: this.config.maxRuns,
      },
      this.config.insertBatchSize,
    );
    recordServiceAction('scheduler', 'runs_inserted', inserted.length);
    recordServiceAction('scheduler', 'deployments_scheduled', deploymentIds.length);
    if (inserted.length > 0) {
      this.logger.log(`Scheduled ${inserted.length} runs for ${deploymentIds.length} deployments.`);
    }
  }

  private async fanOut(loop: string, page: (afterId: string | null) => Promise<string[]>): Promise<void> {
    let afterId: string | null = null;
    for (let pages = 0; pages < MAX_PAGES_PER_TICK; pages++) {
      const ids = await page(afterId);
      if (ids.length === 0) return;
      const payload: ScheduleDeploymentsPayload = { deploymentIds: ids };
      // The key de-duplicates a page still waiting from an earlier tick (or the other loop).
      await this.jobs.enqueue(SCHEDULE_DEPLOYMENTS_JOB, payload, {
        key: `${SCHEDULE_DEPLOYMENTS_JOB}:${ids[0]}:${ids[ids.length - 1]}:${ids.length}`,
        attempts: 3,
      });
      if (ids.length < this.config.deploymentBatchSize) return;
      afterId = ids[ids.length - 1]!;
    }
    this.logger.warn(`${loop}: stopped after ${MAX_PAGES_PER_TICK} pages of deployments`);
  }
}
