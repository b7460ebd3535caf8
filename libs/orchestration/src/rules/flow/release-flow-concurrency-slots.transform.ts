import type { StateType } from '@orrery/domain';
import type { OrchestrationContext } from '../../engine/orchestration.context';
import { UniversalTransform } from '../../engine/universal.transform';
import { releaseConcurrencyLease } from '../../support/concurrency-leases';

const SLOT_HOLDING: ReadonlySet<StateType | null> = new Set<StateType | null>([
  'PENDING',
  'RUNNING',
  'CANCELLING',
]);

/**
 * A deployment run gives its concurrency slot back when it leaves PENDING/RUNNING/CANCELLING for
 * any other state: through its lease when it has one (falling back to the deployment's limit when
 * the lease has already gone), else directly on the deployment's limit.
 */
export class ReleaseFlowConcurrencySlotsTransform extends UniversalTransform<'flow'> {
  readonly name = 'ReleaseFlowConcurrencySlots';

  override async after(ctx: OrchestrationContext<'flow'>): Promise<void> {
    if (ctx.proposedState === null) return;
    if (!SLOT_HOLDING.has(ctx.initialStateType) || SLOT_HOLDING.has(ctx.proposedStateType)) return;
    const deploymentId = ctx.run.deploymentId;
    if (deploymentId === null) return;

    const leaseId = ctx.initialState?.stateDetails.deploymentConcurrencyLeaseId ?? null;
    const deployment = await ctx.ports.deployments.readDeployment(deploymentId);
    const limitId = deployment?.concurrencyLimitId ?? null;
    if (leaseId !== null) {
      await releaseConcurrencyLease(ctx.ports, leaseId, limitId === null ? null : [limitId]);
      return;
    }
    if (limitId === null) return;
    if (!(await ctx.ports.slots.decrementActiveSlots([limitId], 1))) {
      throw new Error('Failed to release deployment concurrency slots');
    }
  }
}
