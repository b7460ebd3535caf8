import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

export class SetRunStateNameTransform extends UniversalTransform {
  readonly name = 'SetRunStateName';

  override before(ctx: OrchestrationContext): void {
    if (ctx.proposedState !== null) ctx.run.stateName = ctx.proposedState.name;
  }
}
