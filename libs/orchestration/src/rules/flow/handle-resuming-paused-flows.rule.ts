import { isTerminal, type State } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/**
 * A PAUSED run may only resume (RUNNING), be rescheduled (SCHEDULED, deployment runs only when
 * suspended) or end; after its pause timeout it can only fail. Afterwards the run is marked
 * `resuming`, so the next RUNNING does not count as a new run. The TO set is "any", so that mark is
 * set even when this rule itself rejected.
 */
export class HandleResumingPausedFlowsRule extends OrchestrationRule<'flow'> {
  readonly name = 'HandleResumingPausedFlows';
  readonly fromStates = only('PAUSED');
  readonly toStates = ANY_STATE;

  override before(ctx: RuleContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (!(proposed.type === 'RUNNING' || proposed.type === 'SCHEDULED' || isTerminal(proposed.type))) {
      ctx.reject(
        null,
        `This run cannot transition to the ${proposed.type} state from the ${initial.type} state.`,
      );
      return;
    }
    const verb = proposed.name === 'Suspended' ? 'suspend' : 'pause';
    const displayName = proposed.name ? proposed.name.toLowerCase() : proposed.type.toLowerCase();
    if (initial.stateDetails.pauseReschedule && ctx.run.deploymentId === null) {
      ctx.reject(null, `Cannot reschedule a ${displayName} flow run without a deployment.`);
      return;
    }
    const pauseTimeout = initial.stateDetails.pauseTimeout;
    if (pauseTimeout !== null && pauseTimeout.isBefore(ctx.now())) {
      ctx.reject(
        ctx.newState({ type: 'FAILED', message: `The flow was ${displayName} and never resumed.` }),
        `The flow run ${verb} has timed out and can no longer resume.`,
      );
    }
  }

  override after(ctx: RuleContext<'flow'>, _validated: State | null): void {
    ctx.run.empiricalPolicy.resuming = true;
  }
}
