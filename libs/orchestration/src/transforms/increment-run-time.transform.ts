import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/** Time spent RUNNING accumulates in `total_run_time` each time the run leaves RUNNING. */
export class IncrementRunTimeTransform extends UniversalTransform {
  readonly name = 'IncrementRunTime';

  override before(ctx: OrchestrationContext): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null || initial.type !== 'RUNNING') return;
    ctx.run.totalRunTime += proposed.timestamp.secondsSince(initial.timestamp);
  }
}
