import type { OrchestrationContext } from '../../engine/orchestration.context';
import { UniversalTransform } from '../../engine/universal.transform';

/**
 * The deployment concurrency lease travels with the run from state to state until a terminal
 * state releases it; a client proposing a state without it must not drop it.
 */
export class PreserveDeploymentConcurrencyLeaseIdTransform extends UniversalTransform<'flow'> {
  readonly name = 'PreserveDeploymentConcurrencyLeaseId';

  override before(ctx: OrchestrationContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    const leaseId = initial.stateDetails.deploymentConcurrencyLeaseId;
    if (leaseId !== null && proposed.stateDetails.deploymentConcurrencyLeaseId === null) {
      proposed.stateDetails.deploymentConcurrencyLeaseId = leaseId;
    }
  }
}
