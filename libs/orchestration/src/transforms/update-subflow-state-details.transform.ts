import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/** A subflow's states name its parent task run. */
export class UpdateSubflowStateDetailsTransform extends UniversalTransform<'flow'> {
  readonly name = 'UpdateSubflowStateDetails';

  override before(ctx: OrchestrationContext<'flow'>): void {
    if (ctx.proposedState !== null && ctx.run.parentTaskRunId !== null) {
      ctx.proposedState.stateDetails.taskRunId = ctx.run.parentTaskRunId;
    }
  }
}
