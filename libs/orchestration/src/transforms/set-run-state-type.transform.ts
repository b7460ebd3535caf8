import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

export class SetRunStateTypeTransform extends UniversalTransform {
  readonly name = 'SetRunStateType';

  override before(ctx: OrchestrationContext): void {
    if (ctx.proposedState !== null) ctx.run.stateType = ctx.proposedState.type;
  }
}
