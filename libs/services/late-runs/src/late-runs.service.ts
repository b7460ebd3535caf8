// late-runs: marks flow runs whose scheduled start passed more than
// PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS (15 s) ago as `Late` (still SCHEDULED, still
// pollable), through the orchestration engine's MarkLateRunsPolicy so the transition is checked and
// emits `prefect.flow-run.Late`. One finder tick per interval across the cluster; each run is its
// own job keyed `mark-flow-run-late:{id}`, so a run is queued at most once however many replicas run.
import { Injectable, Logger } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobHandler, JobQueue, PeriodicJob } from '@orrery/jobs';
import { MARK_LATE_RUNS_POLICY, OrchestrationObjectNotFoundError } from '@orrery/orchestration';
import { LateRunsRepository } from '@orrery/persistence';
import { FlowRunStateService } from '@orrery/runs';
import { recordServiceAction } from '@orrery/telemetry';

/** Runs looked at per tick (upstream's batch). */
export const LATE_RUNS_BATCH = 400;
export const MARK_LATE_JOB = 'mark-flow-run-late';

export interface MarkLatePayload {
  readonly flowRunId: string;
  /** The run's next_scheduled_start_time when it was found: the Late state's scheduled_time. */
  readonly scheduledTime: string;
}

@Injectable()
export class LateRunsService {
  private readonly logger = new Logger('late-runs');

  constructor(
    @InjectSettings() private readonly settings: Settings,
    private readonly runs: LateRunsRepository,
    private readonly jobs: JobQueue,
    private readonly states: FlowRunStateService,
  ) {
    recordServiceAction('late-runs', 'mark_late', 0);
  }

  @PeriodicJob('late-runs', {
    everySeconds: (self: LateRunsService) => self.settings.server.services.lateRuns.loopSeconds,
  })
  async findLateRuns(): Promise<void> {
    const dueBefore = Instant.now().minusSeconds(this.settings.server.services.lateRuns.afterSeconds);
    const overdue = await this.runs.findOverdue(dueBefore, LATE_RUNS_BATCH);
    for (const run of overdue) {
      const payload: MarkLatePayload = {
        flowRunId: run.id,
        scheduledTime: run.nextScheduledStartTime.toISOString(),
      };
      await this.jobs.enqueue(MARK_LATE_JOB, payload, { key: `${MARK_LATE_JOB}:${run.id}` });
    }
  }

  /** Idempotent: the policy only lets a run whose state is still `Scheduled` become `Late`. */
  @JobHandler(MARK_LATE_JOB, { concurrency: 4 })
  async markLate({ flowRunId, scheduledTime }: MarkLatePayload): Promise<void> {
    try {
      const result = await this.states.setState(
        flowRunId,
        { type: 'SCHEDULED', name: 'Late', stateDetails: { scheduledTime: Instant.parse(scheduledTime) } },
        { force: false, params: { apiVersion: null, clientVersion: null }, policy: MARK_LATE_RUNS_POLICY },
      );
      if (result.status === 'ACCEPT') {
        recordServiceAction('late-runs', 'mark_late');
        this.logger.log(`flow run ${flowRunId} is late`);
      }
    } catch (error) {
      if (error instanceof OrchestrationObjectNotFoundError) return; // deleted since it was found
      throw error;
    }
  }
}
