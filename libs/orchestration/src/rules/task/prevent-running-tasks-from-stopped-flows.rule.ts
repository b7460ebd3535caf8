import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/**
 * A task may only start while its flow run is RUNNING. In a paused flow it is told to pause too
 * (`NotReady`, carrying the flow's pause timeout); otherwise it is aborted.
 */
export class PreventRunningTasksFromStoppedFlowsRule extends OrchestrationRule<'task'> {
  readonly name = 'PreventRunningTasksFromStoppedFlows';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('RUNNING');

  override async before(ctx: RuleContext<'task'>): Promise<void> {
    if (ctx.run.flowRunId === null) return;
    const flowRun = await ctx.ports.flowRuns.readFlowRun(ctx.run.flowRunId);
    if (flowRun === null) return;
    const flowState = flowRun.state;
    if (flowState === null) {
      ctx.abort('The enclosing flow must be running to begin task execution.');
    } else if (flowState.type === 'PAUSED') {
      ctx.reject(
        ctx.newState({
          type: 'PAUSED',
          name: 'NotReady',
          stateDetails: {
            pauseTimeout: flowState.stateDetails.pauseTimeout,
            pauseReschedule: flowState.stateDetails.pauseReschedule,
            pauseKey: null,
          },
        }),
        `The flow is paused, new tasks can execute after resuming flow run: ${flowRun.id}.`,
      );
    } else if (flowState.type !== 'RUNNING') {
      ctx.abort('The enclosing flow must be running to begin task execution.');
    }
  }
}
