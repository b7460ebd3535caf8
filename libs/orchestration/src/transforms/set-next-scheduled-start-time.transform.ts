import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/** `next_scheduled_start_time` is set only while the run is SCHEDULED (the scheduler's index). */
export class SetNextScheduledStartTimeTransform extends UniversalTransform {
  readonly name = 'SetNextScheduledStartTime';

  override before(ctx: OrchestrationContext): void {
    const proposed = ctx.proposedState;
    if (proposed === null) return;
    if (ctx.initialState?.type === 'SCHEDULED') ctx.run.nextScheduledStartTime = null;
    if (proposed.type === 'SCHEDULED') ctx.run.nextScheduledStartTime = proposed.stateDetails.scheduledTime;
  }
}
