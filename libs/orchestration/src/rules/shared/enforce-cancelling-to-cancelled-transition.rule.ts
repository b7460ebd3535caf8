import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { anyStateExcept, only } from '../../engine/state-sets';

/** A CANCELLING run may only become CANCELLED. */
export class EnforceCancellingToCancelledTransitionRule extends OrchestrationRule {
  readonly name = 'EnforceCancellingToCancelledTransition';
  readonly fromStates = only('CANCELLING');
  readonly toStates = anyStateExcept('CANCELLED');

  override before(ctx: RuleContext): void {
    ctx.reject(null, 'Cannot transition flows that are cancelling to a state other than Cancelled.');
  }
}
