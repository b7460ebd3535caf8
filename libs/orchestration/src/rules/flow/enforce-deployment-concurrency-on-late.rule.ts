import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';

/**
 * A late run of a CANCEL_NEW deployment whose limit is full would be cancelled at claim time
 * anyway; cancel it when it is marked late instead of letting it pile up.
 */
export class EnforceDeploymentConcurrencyOnLateRule extends OrchestrationRule<'flow'> {
  readonly name = 'EnforceDeploymentConcurrencyOnLate';
  readonly fromStates = only('SCHEDULED');
  readonly toStates = only('SCHEDULED');

  override async before(ctx: RuleContext<'flow'>): Promise<void> {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (proposed.name !== 'Late' || ctx.run.deploymentId === null) return;
    const deployment = await ctx.ports.deployments.readDeployment(ctx.run.deploymentId);
    if (deployment === null || deployment.concurrencyLimitId === null) return;
    if (deployment.concurrencyOptions?.collisionStrategy !== 'CANCEL_NEW') return;
    const limit = deployment.globalConcurrencyLimit;
    if (limit === null) return;
    if (limit.activeSlots >= limit.limit) {
      ctx.reject(
        ctx.newState({ type: 'CANCELLED', message: 'Deployment concurrency limit reached.' }),
        'Deployment concurrency limit is full and uses the CANCEL_NEW strategy.',
      );
    }
  }
}
