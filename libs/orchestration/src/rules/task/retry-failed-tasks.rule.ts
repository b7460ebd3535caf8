import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';
import { clampedPoissonInterval } from '../../support/poisson';

/**
 * A failing task with retries left becomes `AwaitingRetry` after its configured delay (the n-th
 * entry of a delay list for the n-th retry), optionally jittered — unless the task said the failure
 * is not retriable.
 */
export class RetryFailedTasksRule extends OrchestrationRule<'task'> {
  readonly name = 'RetryFailedTasks';
  readonly fromStates = only('RUNNING');
  readonly toStates = only('FAILED');

  override before(ctx: RuleContext<'task'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    const policy = ctx.run.empiricalPolicy;
    const runCount = ctx.run.runCount;
    const configured = policy.retryDelay;
    let baseDelay: number;
    if (Array.isArray(configured)) {
      // Python indexing: run_count 0 would read index −1, the last entry.
      const index = Math.min(runCount - 1, configured.length - 1);
      baseDelay = configured.length === 0 ? 0 : configured[index < 0 ? configured.length + index : index]!;
    } else {
      baseDelay = configured ?? 0;
    }
    // A zero base delay stays zero (and would divide by zero in the jitter).
    const delay =
      policy.retryJitterFactor && baseDelay > 0
        ? clampedPoissonInterval(baseDelay, policy.retryJitterFactor, ctx.ports.random)
        : baseDelay;
    if (proposed.stateDetails.retriable === false) return;
    if (policy.retries !== null && runCount <= policy.retries) {
      ctx.reject(
        ctx.newState({
          type: 'SCHEDULED',
          name: 'AwaitingRetry',
          message: proposed.message,
          data: proposed.data,
          stateDetails: { scheduledTime: ctx.now().plusSeconds(delay) },
        }),
        'Retrying',
      );
    }
  }
}
