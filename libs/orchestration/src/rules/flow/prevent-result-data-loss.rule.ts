import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { TERMINAL } from '../../engine/state-sets';
import { hasPersistedResult, isPersistedResult } from '../../support/state-helpers';

/** Even a forced COMPLETED → COMPLETED may not replace a persisted result with none. */
export class PreventResultDataLossRule extends OrchestrationRule<'flow'> {
  readonly name = 'PreventResultDataLoss';
  readonly fromStates = TERMINAL;
  readonly toStates = TERMINAL;

  override before(ctx: RuleContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    if (
      initial.type === 'COMPLETED' &&
      proposed.type === 'COMPLETED' &&
      hasPersistedResult(initial) &&
      !isPersistedResult(proposed.data)
    ) {
      ctx.reject(
        null,
        'Cannot overwrite a COMPLETED state that carries persisted result data with one that does not.',
      );
    }
  }
}
