import type { State } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/** A deferred task that becomes SCHEDULED is handed to the task workers subscribed to its key. */
export class EnqueueScheduledTasksRule extends OrchestrationRule<'task'> {
  readonly name = 'EnqueueScheduledTasks';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('SCHEDULED');

  override async after(ctx: RuleContext<'task'>, validated: State | null): Promise<void> {
    if (validated === null || !validated.stateDetails.deferred) return;
    await ctx.ports.taskQueue.enqueue(ctx.run, {
      retry: validated.name === 'AwaitingRetry',
      stateId: validated.id,
    });
  }
}
