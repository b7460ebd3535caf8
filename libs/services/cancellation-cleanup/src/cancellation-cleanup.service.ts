// cancellation-cleanup: finishes what a cancellation starts (spec-services-events-ha §2.2):
// unfinished task runs of cancelled flow runs become Cancelled, unfinished subflows of cancelled
// parents are cancelled, and a run stuck in Cancelling past
// PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_CANCELLING_TIMEOUT_SECONDS (300 s) — its worker never
// confirmed — is moved to Cancelled. One finder tick per interval across the cluster; every item is a
// keyed job that re-checks its preconditions in its own transaction.
import { Injectable, Logger } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobHandler, JobQueue, PeriodicJob } from '@orrery/jobs';
import { OrchestrationObjectNotFoundError } from '@orrery/orchestration';
import { CancellationCleanupRepository } from '@orrery/persistence';
import { OrchestrationTransactions, TaskRunStateService } from '@orrery/runs';
import { recordServiceAction } from '@orrery/telemetry';

export const CANCEL_CHILD_TASK_RUNS_JOB = 'cancel-child-task-runs';
export const CANCEL_SUBFLOW_RUN_JOB = 'cancel-subflow-run';
export const CANCELLING_TIMEOUT_JOB = 'cancelling-timeout';
export const PARENT_CANCELLED_MESSAGE = 'The parent flow run was cancelled.';
export const CANCELLING_TIMED_OUT_MESSAGE =
  'Flow run cancellation timed out; marked this flow run as Cancelled.';

/** Items per finder query and task runs per job (upstream's batches). */
const BATCH = 200;
const TASK_RUNS_PER_JOB = 100;
const CANCELLED_LOOKBACK_SECONDS = 24 * 3600;
const NO_HEADERS = { apiVersion: null, clientVersion: null } as const;
const ACTIVE_SUBFLOW_TYPES = new Set(['PENDING', 'SCHEDULED', 'RUNNING', 'PAUSED', 'CANCELLING']);

export interface CancellingTimeoutPayload {
  readonly flowRunId: string;
  /** The CANCELLING state the deadline belongs to: a later state change makes the job moot. */
  readonly stateId: string;
}

@Injectable()
export class CancellationCleanupService {
  private readonly logger = new Logger('cancellation-cleanup');

  constructor(
    @InjectSettings() private readonly settings: Settings,
    private readonly finder: CancellationCleanupRepository,
    private readonly jobs: JobQueue,
    private readonly transactions: OrchestrationTransactions,
    private readonly taskRunStates: TaskRunStateService,
  ) {
    for (const action of ['cancel_task_run', 'cancel_subflow_run', 'cancelling_timed_out'])
      recordServiceAction('cancellation-cleanup', action, 0);
  }

  private get timeoutSeconds(): number {
    return this.settings.server.services.cancellationCleanup.cancellingTimeoutSeconds;
  }

  @PeriodicJob('cancellation-cleanup', {
    everySeconds: (self: CancellationCleanupService) =>
      self.settings.server.services.cancellationCleanup.loopSeconds,
  })
  async findWork(): Promise<void> {
    const since = Instant.now().minusSeconds(CANCELLED_LOOKBACK_SECONDS);
    for (const flowRunId of await this.finder.cancelledFlowRunsWithActiveTasks(since, BATCH)) {
      await this.jobs.enqueue(
        CANCEL_CHILD_TASK_RUNS_JOB,
        { flowRunId },
        { key: `${CANCEL_CHILD_TASK_RUNS_JOB}:${flowRunId}` },
      );
    }
    for (const flowRunId of await this.finder.subflowRunsOfCancelledParents(BATCH)) {
      await this.jobs.enqueue(
        CANCEL_SUBFLOW_RUN_JOB,
        { flowRunId },
        { key: `${CANCEL_SUBFLOW_RUN_JOB}:${flowRunId}` },
      );
    }
    let after: { stateTimestamp: Instant; id: string } | null = null;
    for (;;) {
      const page = await this.finder.cancellingRuns(after, BATCH);
      for (const run of page) {
        const payload: CancellingTimeoutPayload = { flowRunId: run.id, stateId: run.stateId };
        await this.jobs.enqueue(CANCELLING_TIMEOUT_JOB, payload, {
          key: `${CANCELLING_TIMEOUT_JOB}:${run.id}`,
          runAt: run.stateTimestamp.plusSeconds(this.timeoutSeconds),
        });
      }
      if (page.length < BATCH) break;
      after = page[page.length - 1]!;
    }
  }

  /** Force-sets the unfinished task runs of a cancelled flow run to Cancelled. */
  @JobHandler(CANCEL_CHILD_TASK_RUNS_JOB, { concurrency: 2 })
  async cancelChildTaskRuns({ flowRunId }: { flowRunId: string }): Promise<void> {
    for (const taskRunId of await this.finder.activeTaskRuns(flowRunId, TASK_RUNS_PER_JOB)) {
      try {
        await this.taskRunStates.setState(
          taskRunId,
          { type: 'CANCELLED', message: PARENT_CANCELLED_MESSAGE },
          { force: true, params: NO_HEADERS },
        );
        recordServiceAction('cancellation-cleanup', 'cancel_task_run');
      } catch (error) {
        if (!(error instanceof OrchestrationObjectNotFoundError)) throw error;
      }
    }
  }

  /**
   * Cancels an unfinished subflow whose parent flow run is cancelled: a deployment-backed subflow
   * goes to Cancelling (its worker tears the infrastructure down), any other straight to Cancelled.
   */
  @JobHandler(CANCEL_SUBFLOW_RUN_JOB, { concurrency: 2 })
  async cancelSubflowRun({ flowRunId }: { flowRunId: string }): Promise<void> {
    if ((await this.finder.parentStateType(flowRunId)) !== 'CANCELLED') return;
    const cancelling = await this.transactions.run(async (unit) => {
      const run = await unit.lockFlowRun(flowRunId);
      const type = run?.state?.type;
      if (run === null || type === undefined || !ACTIVE_SUBFLOW_TYPES.has(type)) return null;
      if (run.deploymentId !== null) {
        if (type === 'CANCELLING') return null;
        const result = await unit.setFlowRunState(
          run,
          { type: 'CANCELLING', message: PARENT_CANCELLED_MESSAGE },
          {
            force: false,
            params: NO_HEADERS,
          },
        );
        return result.status === 'ACCEPT' && result.state?.type === 'CANCELLING' ? result.state : null;
      }
      await unit.setFlowRunState(
        run,
        { type: 'CANCELLED', message: PARENT_CANCELLED_MESSAGE },
        { force: true, params: NO_HEADERS },
      );
      return null;
    });
    recordServiceAction('cancellation-cleanup', 'cancel_subflow_run');
    if (cancelling !== null) {
      const payload: CancellingTimeoutPayload = { flowRunId, stateId: cancelling.id };
      await this.jobs.enqueue(CANCELLING_TIMEOUT_JOB, payload, {
        key: `${CANCELLING_TIMEOUT_JOB}:${flowRunId}`,
        runAt: cancelling.timestamp.plusSeconds(this.timeoutSeconds),
        replace: true,
      });
    }
  }

  /** Moves a run still in the same Cancelling state past its deadline to Cancelled. */
  @JobHandler(CANCELLING_TIMEOUT_JOB, { concurrency: 2 })
  async handleCancellingTimeout({ flowRunId, stateId }: CancellingTimeoutPayload): Promise<void> {
    const deadline = await this.transactions.run(async (unit) => {
      const run = await unit.lockFlowRun(flowRunId);
      if (run === null || run.state === null || run.state.id !== stateId || run.state.type !== 'CANCELLING')
        return null;
      const due = run.state.timestamp.plusSeconds(this.timeoutSeconds);
      if (Instant.now().isBefore(due)) return due;
      const result = await unit.setFlowRunState(
        run,
        { type: 'CANCELLED', message: CANCELLING_TIMED_OUT_MESSAGE },
        {
          force: false,
          params: NO_HEADERS,
        },
      );
      if (result.status === 'ACCEPT') {
        recordServiceAction('cancellation-cleanup', 'cancelling_timed_out');
        this.logger.warn(`flow run ${flowRunId}: cancellation timed out, marked Cancelled`);
      }
      return null;
    });
    if (deadline !== null) {
      // Picked up early (the timeout setting grew): try again at the deadline.
      await this.jobs.enqueue(
        CANCELLING_TIMEOUT_JOB,
        { flowRunId, stateId } satisfies CancellingTimeoutPayload,
        {
          key: `${CANCELLING_TIMEOUT_JOB}:${flowRunId}`,
          runAt: deadline,
          replace: true,
        },
      );
    }
  }
}
