// pause-expirations: fails flow runs that were paused and never resumed before their pause timeout
// (PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_*). One finder tick per interval across the cluster;
// each expired run is a per-item job that re-checks, under the run's row lock, that it is still
// paused past that timeout before forcing Failed, so a resume racing the service always wins.
import { Injectable, Logger } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobHandler, JobQueue, PeriodicJob } from '@orrery/jobs';
import { PauseExpirationsRepository } from '@orrery/persistence';
import { OrchestrationTransactions } from '@orrery/runs';

/** Paused runs looked at per tick (upstream's batch). */
export const PAUSE_EXPIRATIONS_BATCH = 200;
export const FAIL_EXPIRED_PAUSE_JOB = 'fail-expired-pause';
export const EXPIRED_PAUSE_MESSAGE = 'The flow was paused and never resumed.';

@Injectable()
export class PauseExpirationsService {
  private readonly logger = new Logger('pause-expirations');

  constructor(
    @InjectSettings() private readonly settings: Settings,
    private readonly runs: PauseExpirationsRepository,
    private readonly jobs: JobQueue,
    private readonly transactions: OrchestrationTransactions,
  ) {}

  @PeriodicJob('pause-expirations', {
    everySeconds: (self: PauseExpirationsService) =>
      self.settings.server.services.pauseExpirations.loopSeconds,
  })
  async findExpiredPauses(): Promise<void> {
    for (const flowRunId of await this.runs.findExpired(Instant.now(), PAUSE_EXPIRATIONS_BATCH)) {
      await this.jobs.enqueue(
        FAIL_EXPIRED_PAUSE_JOB,
        { flowRunId },
        { key: `${FAIL_EXPIRED_PAUSE_JOB}:${flowRunId}` },
      );
    }
  }

  @JobHandler(FAIL_EXPIRED_PAUSE_JOB, { concurrency: 4 })
  async failExpiredPause({ flowRunId }: { flowRunId: string }): Promise<void> {
    const failed = await this.transactions.run(async (unit) => {
      const run = await unit.lockFlowRun(flowRunId);
      const timeout = run?.state?.stateDetails.pauseTimeout ?? null;
      if (
        run === null ||
        run.state?.type !== 'PAUSED' ||
        timeout === null ||
        !timeout.isBefore(Instant.now())
      ) {
        return false; // resumed, deleted or re-paused since it was found
      }
      const result = await unit.setFlowRunState(
        run,
        { type: 'FAILED', message: EXPIRED_PAUSE_MESSAGE },
        { force: true, params: { apiVersion: null, clientVersion: null } },
      );
      return result.status === 'ACCEPT';
    });
    if (failed) this.logger.log(`flow run ${flowRunId} failed: its pause expired`);
  }
}
