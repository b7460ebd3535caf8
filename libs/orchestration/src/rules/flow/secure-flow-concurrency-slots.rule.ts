import type { State } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { anyStateExcept, only } from '../../engine/state-sets';
import { deploymentLeaseTtlSeconds, releaseConcurrencyLease } from '../../support/concurrency-leases';
import { WORKER_VERSIONS_THAT_MANAGE_DEPLOYMENT_CONCURRENCY } from '../../support/versions';

/**
 * A deployment run takes a slot of its deployment's concurrency limit when it is claimed
 * (→ PENDING), under a lease that travels on its states. A full limit either cancels the run
 * (CANCEL_NEW) or sends it back to wait as `AwaitingConcurrencySlot` (ENQUEUE, the default).
 */
export class SecureFlowConcurrencySlotsRule extends OrchestrationRule<'flow'> {
  readonly name = 'SecureFlowConcurrencySlots';
  readonly fromStates = anyStateExcept('PENDING', 'RUNNING', 'CANCELLING');
  readonly toStates = only('PENDING');
  private acquiredLimitId: string | null = null;
  private acquiredLeaseId: string | null = null;

  override async before(ctx: RuleContext<'flow'>): Promise<void> {
    const proposed = ctx.proposedState;
    const deploymentId = ctx.run.deploymentId;
    if (deploymentId === null || proposed === null) return;
    const clientVersion = ctx.params.clientVersion;
    if (clientVersion !== null && WORKER_VERSIONS_THAT_MANAGE_DEPLOYMENT_CONCURRENCY.has(clientVersion))
      return;

    const deployment = await ctx.ports.deployments.readDeployment(deploymentId);
    if (deployment === null) {
      ctx.abort('Deployment not found.');
      return;
    }
    const limit = deployment.globalConcurrencyLimit;
    const limitId = deployment.concurrencyLimitId;
    if (limit === null || limitId === null) return;
    if (limit.limit === 0) {
      ctx.abort('The deployment concurrency limit is 0. The flow will deadlock if submitted again.');
      return;
    }

    if (await ctx.ports.slots.incrementActiveSlots([limitId], 1)) {
      this.acquiredLimitId = limitId;
      const lease = await ctx.ports.leases.createLease({
        resourceIds: [limitId],
        ttlSeconds: deploymentLeaseTtlSeconds(deployment, ctx.settings),
        slots: 1,
        holder: null,
      });
      this.acquiredLeaseId = lease.id;
      proposed.stateDetails.deploymentConcurrencyLeaseId = lease.id;
      return;
    }

    const strategy = deployment.concurrencyOptions?.collisionStrategy ?? 'ENQUEUE';
    if (strategy === 'CANCEL_NEW') {
      ctx.reject(
        ctx.newState({ type: 'CANCELLED', message: 'Deployment concurrency limit reached.' }),
        'Deployment concurrency limit reached.',
      );
    } else {
      ctx.reject(
        ctx.newState({
          type: 'SCHEDULED',
          name: 'AwaitingConcurrencySlot',
          stateDetails: {
            scheduledTime: ctx.now().plusSeconds(ctx.settings.deploymentConcurrencySlotWaitSeconds),
          },
        }),
        'Deployment concurrency limit reached.',
      );
    }
  }

  /** A later rule changed the transition: give the slot back. */
  override async cleanup(ctx: RuleContext<'flow'>, validated: State | null): Promise<void> {
    const limitId = this.acquiredLimitId;
    if (limitId === null) return;
    if (this.acquiredLeaseId !== null) {
      await releaseConcurrencyLease(ctx.ports, this.acquiredLeaseId, [limitId]);
      if (
        validated !== null &&
        validated.stateDetails.deploymentConcurrencyLeaseId === this.acquiredLeaseId
      ) {
        validated.stateDetails.deploymentConcurrencyLeaseId = null;
      }
      return;
    }
    if (!(await ctx.ports.slots.decrementActiveSlots([limitId], 1))) {
      throw new Error('Failed to release deployment concurrency slots during cleanup');
    }
  }
}
