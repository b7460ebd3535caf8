import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/** A run starts the first time it enters RUNNING. */
export class SetStartTimeTransform extends UniversalTransform {
  readonly name = 'SetStartTime';

  override before(ctx: OrchestrationContext): void {
    const proposed = ctx.proposedState;
    if (proposed !== null && proposed.type === 'RUNNING' && ctx.run.startTime === null) {
      ctx.run.startTime = proposed.timestamp;
    }
  }
}
