import { Injectable } from '@nestjs/common';
import type { StateCreate } from '@orrery/domain';
import type {
  OrchestrationParameters,
  OrchestrationPolicy,
  OrchestrationResult,
} from '@orrery/orchestration';
import { OrchestrationTransactions } from './orchestration-transactions';

/** One flow run's outcome in `POST /flow_runs/bulk_set_state`. */
export interface BulkSetStateOutcome {
  flowRunId: string;
  result: Pick<OrchestrationResult<'flow'>, 'status' | 'details' | 'state'>;
}

/**
 * Every flow-run state change of the API and the services: `set_state`, bulk set, and (with
 * `policy`) the late-runs service. One transaction per run: lock, orchestrate, write, emit.
 */
@Injectable()
export class FlowRunStateService {
  constructor(private readonly transactions: OrchestrationTransactions) {}

  /**
   * Null when the run does not exist. Throws what `orchestrate` throws
   * (OrchestrationObjectNotFoundError → 404, retryable database errors → 503).
   */
  setState(
    flowRunId: string,
    proposed: StateCreate,
    options: { force: boolean; params: OrchestrationParameters; policy?: OrchestrationPolicy<'flow'> },
  ): Promise<OrchestrationResult<'flow'> | null> {
    return this.transactions.run(async (unit) => {
      const run = await unit.lockFlowRun(flowRunId);
      if (run === null) return null;
      return unit.setFlowRunState(run, proposed, options);
    });
  }

  /**
   * `bulk_set_state`: each run in its own transaction, in order; a run that is missing or whose
   * orchestration throws is reported as ABORT with the error, and the others go on.
   */
  async setStates(
    flowRunIds: readonly string[],
    proposed: StateCreate,
    options: { force: boolean; params: OrchestrationParameters },
  ): Promise<BulkSetStateOutcome[]> {
    const outcomes: BulkSetStateOutcome[] = [];
    for (const flowRunId of flowRunIds) {
      try {
        const result = await this.setState(flowRunId, proposed, options);
        outcomes.push({
          flowRunId,
          result: result ?? {
            status: 'ABORT',
            state: null,
            details: { type: 'abort_details', reason: 'Flow run not found' },
          },
        });
      } catch (error) {
        outcomes.push({
          flowRunId,
          result: {
            status: 'ABORT',
            state: null,
            details: {
              type: 'abort_details',
              reason: error instanceof Error ? error.message : String(error),
            },
          },
        });
      }
    }
    return outcomes;
  }
}
