import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/** The first state fixes when the run was expected to start: its scheduled time, or now. */
export class SetExpectedStartTimeTransform extends UniversalTransform {
  readonly name = 'SetExpectedStartTime';

  override before(ctx: OrchestrationContext): void {
    const proposed = ctx.proposedState;
    if (proposed === null || ctx.run.expectedStartTime !== null) return;
    ctx.run.expectedStartTime =
      proposed.type === 'SCHEDULED' ? proposed.stateDetails.scheduledTime : proposed.timestamp;
  }
}
