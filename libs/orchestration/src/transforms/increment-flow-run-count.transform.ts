import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';
import { apiVersionAtLeast, PAUSE_AWARE_API_VERSION } from '../support/versions';

/** Each entry into RUNNING is a new run of the flow — except resuming from a pause. */
export class IncrementFlowRunCountTransform extends UniversalTransform<'flow'> {
  readonly name = 'IncrementFlowRunCount';

  override before(ctx: OrchestrationContext<'flow'>): void {
    if (ctx.proposedState?.type !== 'RUNNING') return;
    if (
      apiVersionAtLeast(ctx.params.apiVersion, PAUSE_AWARE_API_VERSION) &&
      ctx.run.empiricalPolicy.resuming
    ) {
      return;
    }
    ctx.run.runCount += 1;
  }
}
