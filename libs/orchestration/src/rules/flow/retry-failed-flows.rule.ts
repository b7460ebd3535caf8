import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';
import {
  apiVersionAtLeast,
  compareApiVersions,
  PAUSE_AWARE_API_VERSION,
  TASK_RETRY_AWARE_API_VERSION,
} from '../../support/versions';

/**
 * A failing flow run with retries left is rescheduled in place: FAILED becomes `AwaitingRetry`
 * (SCHEDULED at now + retry_delay) and the run is marked as retrying in-process, which tells
 * workers to leave it to the engine that is still running it.
 */
export class RetryFailedFlowsRule extends OrchestrationRule<'flow'> {
  readonly name = 'RetryFailedFlows';
  readonly fromStates = only('RUNNING');
  readonly toStates = only('FAILED');

  override async before(ctx: RuleContext<'flow'>): Promise<void> {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    const policy = ctx.run.empiricalPolicy;
    if (policy.retries === null || ctx.run.runCount > policy.retries) {
      // Out of retries: clear the retry type so a later manual retry (e.g. from the UI) starts clean.
      policy.retryType = null;
      return;
    }
    const scheduledTime = ctx.now().plusSeconds(policy.retryDelay ?? 0);
    const apiVersion = ctx.params.apiVersion;
    if (apiVersion !== null && compareApiVersions(apiVersion, TASK_RETRY_AWARE_API_VERSION) < 0) {
      await ctx.ports.flowRuns.retryFailedTaskRunsOfFlowRun(ctx.run.id, scheduledTime);
    }
    if (apiVersionAtLeast(apiVersion, PAUSE_AWARE_API_VERSION)) {
      policy.resuming = false;
      policy.pauseKeys = [];
      policy.retryType = 'in_process';
    }
    ctx.reject(
      ctx.newState({
        type: 'SCHEDULED',
        name: 'AwaitingRetry',
        message: proposed.message,
        data: proposed.data,
        stateDetails: { scheduledTime },
      }),
      'Retrying',
    );
  }
}
