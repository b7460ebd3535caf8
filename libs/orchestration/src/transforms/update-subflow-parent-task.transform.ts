import { copyState } from '@orrery/domain';
import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';

/**
 * A subflow's parent task run mirrors the subflow's state: after each subflow transition the parent
 * task run is force-set to a fresh copy of it that names the subflow as `child_flow_run_id`.
 */
export class UpdateSubflowParentTaskTransform extends UniversalTransform<'flow'> {
  readonly name = 'UpdateSubflowParentTask';

  override async after(ctx: OrchestrationContext<'flow'>): Promise<void> {
    const validated = ctx.validatedState;
    const parentTaskRunId = ctx.run.parentTaskRunId;
    if (ctx.proposedState === null || validated === null || parentTaskRunId === null) return;
    const mirror = copyState(validated);
    mirror.id = ctx.ports.ids.uuid7();
    mirror.timestamp = ctx.now();
    mirror.stateDetails.childFlowRunId = ctx.run.id;
    await ctx.ports.parentTaskRuns.forceSetTaskRunState(parentTaskRunId, mirror);
  }
}
