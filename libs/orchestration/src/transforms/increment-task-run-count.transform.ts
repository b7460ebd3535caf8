import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/** Each entry into RUNNING is a new run of the task. */
export class IncrementTaskRunCountTransform extends UniversalTransform<'task'> {
  readonly name = 'IncrementTaskRunCount';

  override before(ctx: OrchestrationContext<'task'>): void {
    if (ctx.proposedState?.type === 'RUNNING') ctx.run.runCount += 1;
  }
}
