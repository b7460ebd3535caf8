import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/** A run that has run before is `Retrying` (after AwaitingRetry) or `Rerunning` when it runs again. */
export class RenameRerunsRule extends OrchestrationRule {
  readonly name = 'RenameReruns';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('RUNNING');

  override before(ctx: RuleContext): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (ctx.run.runCount > 0) {
      ctx.rename(initial.name === 'AwaitingRetry' ? 'Retrying' : 'Rerunning');
    }
  }
}
