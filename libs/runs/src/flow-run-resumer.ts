import { Injectable } from '@nestjs/common';
import { Instant, type StateCreate } from '@orrery/domain';
import type { OrchestrationParameters, ResponseDetails, SetStateStatus } from '@orrery/orchestration';
import type { StateRecord } from '@orrery/persistence';
import { OrchestrationTransactions } from './orchestration-transactions';
import { hydrateRunInput, RunInputHydrationError } from './run-input.hydration';
import { runInputProblem } from './run-input.validator';

/** What `POST /flow_runs/{id}/resume` answers (an OrchestrationResult) and whether a state was written. */
export interface ResumeOutcome {
  status: SetStateStatus;
  details: ResponseDetails;
  state: StateRecord | null;
  created: boolean;
}

/**
 * Resumes a paused flow run (spec-api §7.1): a suspended run (`pause_reschedule`) goes to
 * SCHEDULED `Resuming` (now) for a worker to pick up, an in-process pause to RUNNING. When the
 * pause asked for input (`run_input_keyset`), `run_input` must validate against the stored schema
 * and is stored under the keyset's `response` key once the transition is accepted — all in one
 * transaction.
 */
@Injectable()
export class FlowRunResumer {
  constructor(private readonly transactions: OrchestrationTransactions) {}

  /** Null when the run does not exist. */
  resume(
    flowRunId: string,
    runInput: Record<string, unknown> | null,
    params: OrchestrationParameters,
  ): Promise<ResumeOutcome | null> {
    return this.transactions.run(async (unit) => {
      const run = await unit.lockFlowRun(flowRunId);
      if (run === null) return null;
      const state = run.state;
      if (state === null || state.type !== 'PAUSED') {
        return {
          status: 'ABORT',
          details: { type: 'abort_details', reason: 'Cannot resume a flow run that is not paused.' },
          state: null,
          created: false,
        };
      }
      const keyset = state.stateDetails.runInputKeyset;
      let input = runInput ?? {};
      if (keyset !== null) {
        // Prefect's quirk: a refused input answers REJECT with the current state and *abort* details.
        const refuse = (reason: string): ResumeOutcome => ({
          status: 'REJECT',
          details: { type: 'abort_details', reason },
          state,
          created: false,
        });
        try {
          input = hydrateRunInput(input);
        } catch (error) {
          if (!(error instanceof RunInputHydrationError)) throw error;
          return refuse(`Error hydrating run input: ${error.message}`);
        }
        const schemaKey = keyset['schema'];
        const schemaJson = schemaKey === undefined ? null : await unit.flowRunInput(run.id, schemaKey);
        if (schemaJson === null) return refuse('Run input schema not found.');
        const problem = runInputProblem(schemaJson, input);
        if (problem !== null) return refuse(problem);
      }
      const proposed: StateCreate = state.stateDetails.pauseReschedule
        ? { type: 'SCHEDULED', name: 'Resuming', stateDetails: { scheduledTime: Instant.now() } }
        : { type: 'RUNNING' };
      const result = await unit.setFlowRunState(run, proposed, { force: false, params });
      const responseKey = keyset?.['response'];
      if (
        keyset !== null &&
        Object.keys(input).length > 0 &&
        result.status === 'ACCEPT' &&
        responseKey !== undefined
      ) {
        await unit.insertFlowRunInput(run.id, responseKey, JSON.stringify(input), null);
      }
      return {
        status: result.status,
        details: result.details,
        state: result.state,
        created: result.newState !== null,
      };
    });
  }
}
