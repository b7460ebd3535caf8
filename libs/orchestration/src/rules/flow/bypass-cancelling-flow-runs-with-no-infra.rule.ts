import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';

/**
 * Cancelling a run that has no infrastructure to stop (scheduled and never submitted, resuming, or
 * suspended) goes straight to Cancelled: nobody would ever finish the CANCELLING.
 */
export class BypassCancellingFlowRunsWithNoInfraRule extends OrchestrationRule<'flow'> {
  readonly name = 'BypassCancellingFlowRunsWithNoInfra';
  readonly fromStates = only('SCHEDULED', 'PAUSED');
  readonly toStates = only('CANCELLING');

  override before(ctx: RuleContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if ((initial.type === 'SCHEDULED' && !ctx.run.infrastructurePid) || initial.name === 'Resuming') {
      ctx.reject(
        ctx.newState({ type: 'CANCELLED' }),
        'Scheduled flow run has no infrastructure to terminate.',
      );
    } else if (initial.type === 'PAUSED' && initial.stateDetails.pauseReschedule) {
      ctx.reject(
        ctx.newState({ type: 'CANCELLED' }),
        'Suspended flow run has no infrastructure to terminate.',
      );
    }
  }
}
