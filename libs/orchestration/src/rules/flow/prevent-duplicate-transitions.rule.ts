import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE } from '../../engine/state-sets';

/** A client retrying a `set_state` call (same `transition_id`) gets the current state back. */
export class PreventDuplicateTransitionsRule extends OrchestrationRule<'flow'> {
  readonly name = 'PreventDuplicateTransitions';
  readonly fromStates = ANY_STATE;
  readonly toStates = ANY_STATE;

  override before(ctx: RuleContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    const initialId = initial.stateDetails.transitionId;
    if (initialId !== null && initialId === proposed.stateDetails.transitionId) {
      ctx.reject(null, 'This run has already made this state transition.');
    }
  }
}
