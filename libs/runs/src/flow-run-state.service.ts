import { Injectable } from '@nestjs/common';
import type { StateCreate } from '@orrery/domain';
import {
  OrchestrationObjectNotFoundError,
  type OrchestrationParameters,
  type OrchestrationPolicy,
  type OrchestrationResult,
} from '@orrery/orchestration';
import { traceOrchestration } from '@orrery/telemetry';
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
   * Throws OrchestrationObjectNotFoundError (Prefect's model-layer 404, `{"exception_message"}`)
   * when the run does not exist, and what `orchestrate` throws (retryable database errors → 503).
   */
  setState(
    flowRunId: string,
    proposed: StateCreate,
    options: { force: boolean; params: OrchestrationParameters; policy?: OrchestrationPolicy<'flow'> },
  ): Promise<OrchestrationResult<'flow'>> {
    return traceOrchestration('flow_run', proposed.type, () =>
      this.transactions.run(async (unit) => {
        const run = await unit.lockFlowRun(flowRunId);
        if (run === null)
          throw new OrchestrationObjectNotFoundError(`Flow run with id ${flowRunId} not found`);
        return unit.setFlowRunState(run, proposed, options);
      }),
    );
  }

  /**
   * `bulk_set_state`: each run in its own transaction, in order; a run that vanished or whose
   * orchestration throws is reported as ABORT with the error's message, and the others go on.
   */
  async setStates(
    flowRunIds: readonly string[],
    proposed: StateCreate,
    options: { force: boolean; params: OrchestrationParameters },
  ): Promise<BulkSetStateOutcome[]> {
    const outcomes: BulkSetStateOutcome[] = [];
    for (const flowRunId of flowRunIds) {
      try {
        outcomes.push({ flowRunId, result: await this.setState(flowRunId, proposed, options) });
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
