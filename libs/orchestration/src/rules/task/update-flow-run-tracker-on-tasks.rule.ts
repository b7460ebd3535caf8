import type { State } from '@orrery/domain';
import { OrchestrationObjectNotFoundError } from '../../engine/object-not-found.error';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/**
 * A task that starts records which run of its flow run it belongs to, so a later flow retry can
 * tell that the task is being retried (HandleTaskTerminalStateTransitions).
 */
export class UpdateFlowRunTrackerOnTasksRule extends OrchestrationRule<'task'> {
  readonly name = 'UpdateFlowRunTrackerOnTasks';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('RUNNING');

  override async after(ctx: RuleContext<'task'>, _validated: State | null): Promise<void> {
    if (ctx.run.flowRunId === null) return;
    const flowRun = await ctx.ports.flowRuns.readFlowRun(ctx.run.flowRunId);
    if (flowRun === null) {
      throw new OrchestrationObjectNotFoundError(
        `Unable to read flow run associated with task run: ${ctx.run.id}, this flow run might have been deleted`,
      );
    }
    ctx.run.flowRunRunCount = flowRun.runCount;
  }
}
