import type { State } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';
import {
  clientVersionAtLeast,
  MIN_CLIENT_VERSION_FOR_CONCURRENCY_LIMIT_LEASING,
} from '../../support/versions';

/**
 * Clients older than 3.4.11 never renew leases, so their lease would expire mid-run and the slot
 * would be reaped. Revoke the lease record instead: the slot stays taken until the run finishes
 * and ReleaseFlowConcurrencySlots gives it back through its fallback.
 */
export class RemoveDeploymentConcurrencyLeaseForOldClientVersionsRule extends OrchestrationRule<'flow'> {
  readonly name = 'RemoveDeploymentConcurrencyLeaseForOldClientVersions';
  readonly fromStates = only('PENDING');
  readonly toStates = only('RUNNING', 'CANCELLING');

  override async after(ctx: RuleContext<'flow'>, _validated: State | null): Promise<void> {
    const initial = ctx.initialState;
    if (initial === null) return;
    if (clientVersionAtLeast(ctx.params.clientVersion, MIN_CLIENT_VERSION_FOR_CONCURRENCY_LIMIT_LEASING))
      return;
    const leaseId = initial.stateDetails.deploymentConcurrencyLeaseId;
    if (leaseId !== null) await ctx.ports.leases.revokeLease(leaseId);
  }
}
