import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';

/** A run leaving SCHEDULED for PENDING keeps its scheduled time, which WaitForScheduledTime reads. */
export class CopyScheduledTimeRule extends OrchestrationRule {
  readonly name = 'CopyScheduledTime';
  readonly fromStates = only('SCHEDULED');
  readonly toStates = only('PENDING');

  override before(ctx: RuleContext): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (proposed.stateDetails.scheduledTime === null) {
      proposed.stateDetails.scheduledTime = initial.stateDetails.scheduledTime;
    }
  }
}
