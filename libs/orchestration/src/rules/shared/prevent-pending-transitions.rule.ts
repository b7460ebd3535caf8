import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';

/**
 * The claim lock: once a run is PENDING (or further), nobody may propose PENDING again, so two
 * workers cannot both submit it. A PENDING run may only move on to a named PENDING sub-state
 * (Pending → Submitting → InfrastructurePending), which keeps the details earlier rules set.
 */
export class PreventPendingTransitionsRule extends OrchestrationRule {
  readonly name = 'PreventPendingTransitions';
  readonly fromStates = only('PENDING', 'CANCELLING', 'RUNNING', 'CANCELLED');
  readonly toStates = only('PENDING');

  override before(ctx: RuleContext): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (
      initial.type === 'PENDING' &&
      proposed.type === 'PENDING' &&
      initial.name !== proposed.name &&
      proposed.name !== 'Pending'
    ) {
      proposed.stateDetails.scheduledTime = initial.stateDetails.scheduledTime;
      proposed.stateDetails.deploymentConcurrencyLeaseId = initial.stateDetails.deploymentConcurrencyLeaseId;
      return;
    }
    ctx.abort(`This run is in a ${initial.type} state and cannot transition to a PENDING state.`);
  }
}
