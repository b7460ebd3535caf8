import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/** (flow_run_id, timestamp) is unique: a clash moves the new state 1 µs later until it fits. */
export class EnsureFlowRunStateTimestampIsUniqueTransform extends UniversalTransform<'flow'> {
  readonly name = 'EnsureFlowRunStateTimestampIsUnique';

  override async before(ctx: OrchestrationContext<'flow'>): Promise<void> {
    const proposed = ctx.proposedState;
    if (proposed === null) return;
    let candidate = proposed.timestamp;
    while (await ctx.ports.states.flowRunStateExistsAt(ctx.run.id, candidate)) {
      candidate = candidate.plusMicros(1);
    }
    proposed.timestamp = candidate;
  }
}
