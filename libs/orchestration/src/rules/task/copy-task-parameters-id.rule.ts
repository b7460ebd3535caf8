import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';

/** A deferred task keeps pointing at its stored parameters while it is claimed and started. */
export class CopyTaskParametersIdRule extends OrchestrationRule<'task'> {
  readonly name = 'CopyTaskParametersID';
  readonly fromStates = only('SCHEDULED', 'PENDING');
  readonly toStates = only('PENDING', 'RUNNING');

  override before(ctx: RuleContext<'task'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (!proposed.stateDetails.taskParametersId) {
      proposed.stateDetails.taskParametersId = initial.stateDetails.taskParametersId;
    }
  }
}
