import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

export class SetRunStateTimestampTransform extends UniversalTransform {
  readonly name = 'SetRunStateTimestamp';

  override before(ctx: OrchestrationContext): void {
    if (ctx.proposedState !== null) ctx.run.stateTimestamp = ctx.proposedState.timestamp;
  }
}
