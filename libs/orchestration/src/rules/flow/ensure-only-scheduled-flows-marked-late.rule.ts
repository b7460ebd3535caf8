import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/** `Late` is a label for a SCHEDULED run that missed its time; it is given once and only to those. */
export class EnsureOnlyScheduledFlowsMarkedLateRule extends OrchestrationRule<'flow'> {
  readonly name = 'EnsureOnlyScheduledFlowsMarkedLate';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('SCHEDULED');

  override before(ctx: RuleContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (proposed.type !== 'SCHEDULED' || proposed.name !== 'Late') return;
    if (initial.type !== 'SCHEDULED') {
      ctx.reject(null, 'Only scheduled flows can be marked late.');
    } else if (initial.name === 'Late') {
      ctx.reject(null, 'This flow run is already marked late.');
    }
  }
}
