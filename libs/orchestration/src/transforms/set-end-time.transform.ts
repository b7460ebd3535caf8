import { isTerminal } from '@orrery/domain';
import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/**
 * A run ends when it first enters a terminal state (a run that fails before it ever ran also gets
 * that time as its start); leaving a terminal state for a rerun clears the end.
 */
export class SetEndTimeTransform extends UniversalTransform {
  readonly name = 'SetEndTime';

  override before(ctx: OrchestrationContext): void {
    const proposed = ctx.proposedState;
    if (proposed === null) return;
    const proposedFinal = isTerminal(proposed.type);
    if (isTerminal(ctx.initialStateType) && !proposedFinal) {
      ctx.run.endTime = null;
    }
    if (proposedFinal && ctx.run.endTime === null) {
      if (ctx.run.startTime === null) ctx.run.startTime = proposed.timestamp;
      ctx.run.endTime = proposed.timestamp;
    }
  }
}
