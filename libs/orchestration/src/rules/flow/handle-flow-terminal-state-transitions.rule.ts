import { copyFlowRunPolicy, isTerminal, type FlowRunPolicy } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, TERMINAL } from '../../engine/state-sets';
import { hasPersistedResult, isPersistedResult } from '../../support/state-helpers';
import { apiVersionAtLeast, PAUSE_AWARE_API_VERSION } from '../../support/versions';

/**
 * Leaving a terminal state: never to CANCELLING/PAUSED/CRASHED, never away from a COMPLETED state
 * whose result is persisted (and never to a COMPLETED without one), never to SCHEDULED without a
 * deployment. A rerun resets the pause bookkeeping and records how it is retried.
 */
export class HandleFlowTerminalStateTransitionsRule extends OrchestrationRule<'flow'> {
  readonly name = 'HandleFlowTerminalStateTransitions';
  readonly fromStates = TERMINAL;
  readonly toStates = ANY_STATE;
  private originalPolicy: FlowRunPolicy | null = null;

  override before(ctx: RuleContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    this.originalPolicy = copyFlowRunPolicy(ctx.run.empiricalPolicy);

    if (proposed.type === 'CANCELLING' || proposed.type === 'PAUSED' || proposed.type === 'CRASHED') {
      ctx.abort(`Run is already in terminal state ${initial.type}.`);
      return;
    }
    if (initial.type === 'COMPLETED' && !isTerminal(proposed.type) && hasPersistedResult(initial)) {
      ctx.reject(null, 'Run is already COMPLETED.');
      return;
    }
    if (
      initial.type === 'COMPLETED' &&
      proposed.type === 'COMPLETED' &&
      hasPersistedResult(initial) &&
      !isPersistedResult(proposed.data)
    ) {
      ctx.reject(
        null,
        'Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.',
      );
      return;
    }
    if (proposed.type === 'SCHEDULED' && ctx.run.deploymentId === null) {
      ctx.abort('Cannot reschedule a run without an associated deployment.');
      return;
    }
    if (!isTerminal(proposed.type) && apiVersionAtLeast(ctx.params.apiVersion, PAUSE_AWARE_API_VERSION)) {
      const policy = ctx.run.empiricalPolicy;
      policy.resuming = false;
      policy.pauseKeys = [];
      policy.retryType = proposed.type === 'SCHEDULED' ? 'reschedule' : null;
    }
  }

  override cleanup(ctx: RuleContext<'flow'>): void {
    if (this.originalPolicy !== null) ctx.run.empiricalPolicy = copyFlowRunPolicy(this.originalPolicy);
  }
}
