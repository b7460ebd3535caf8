import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';
import { deploymentLeaseTtlSeconds } from '../../support/concurrency-leases';
import {
  clientVersionAtLeast,
  MIN_CLIENT_VERSION_FOR_CONCURRENCY_LIMIT_LEASING,
} from '../../support/versions';

/**
 * When a run starts, its deployment slot must still be held: the lease is renewed, or, if it was
 * reaped meanwhile, a slot is taken again. With no slot left the run is cancelled, since its
 * infrastructure already exists and it cannot go back to waiting. Only clients that renew leases
 * (≥ 3.4.11) are checked; for older ones an expired lease is expected.
 */
export class ValidateDeploymentConcurrencyAtRunningRule extends OrchestrationRule<'flow'> {
  readonly name = 'ValidateDeploymentConcurrencyAtRunning';
  readonly fromStates = only('PENDING');
  readonly toStates = only('RUNNING');

  override async before(ctx: RuleContext<'flow'>): Promise<void> {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    const leaseId = initial.stateDetails.deploymentConcurrencyLeaseId;
    proposed.stateDetails.deploymentConcurrencyLeaseId = leaseId;
    if (leaseId === null) return;
    if (!clientVersionAtLeast(ctx.params.clientVersion, MIN_CLIENT_VERSION_FOR_CONCURRENCY_LIMIT_LEASING))
      return;
    if (ctx.run.deploymentId === null) return;

    const deployment = await ctx.ports.deployments.readDeployment(ctx.run.deploymentId);
    if (
      deployment === null ||
      deployment.globalConcurrencyLimit === null ||
      deployment.concurrencyLimitId === null
    ) {
      return;
    }
    const ttlSeconds = deploymentLeaseTtlSeconds(deployment, ctx.settings);
    if (await ctx.ports.leases.renewLease(leaseId, ttlSeconds)) return;

    const limitId = deployment.concurrencyLimitId;
    if (await ctx.ports.slots.incrementActiveSlots([limitId], 1)) {
      try {
        const lease = await ctx.ports.leases.createLease({
          resourceIds: [limitId],
          ttlSeconds,
          slots: 1,
          holder: { type: 'flow_run', id: ctx.run.id },
        });
        proposed.stateDetails.deploymentConcurrencyLeaseId = lease.id;
        return;
      } catch (error) {
        await ctx.ports.slots.decrementActiveSlots([limitId], 1);
        throw error;
      }
    }
    ctx.reject(
      ctx.newState({
        type: 'CANCELLED',
        message:
          'Deployment concurrency slot lost during provisioning - no slots available to continue execution',
      }),
      'Deployment concurrency limit reached after lease expiry.',
    );
  }
}
