import { isTerminal } from '@orrery/domain';
import type { OrchestrationContext } from '../engine/orchestration.context';
import { UniversalTransform } from '../engine/universal.transform';
import { apiVersionAtLeast, PAUSE_AWARE_API_VERSION } from '../support/versions';

/** Once a resumed run is RUNNING again (or finished), it is no longer resuming. */
export class RemoveResumingIndicatorTransform extends UniversalTransform<'flow'> {
  readonly name = 'RemoveResumingIndicator';

  override before(ctx: OrchestrationContext<'flow'>): void {
    const proposed = ctx.proposedState;
    if (proposed === null || !apiVersionAtLeast(ctx.params.apiVersion, PAUSE_AWARE_API_VERSION)) return;
    if ((proposed.type === 'RUNNING' || isTerminal(proposed.type)) && ctx.run.empiricalPolicy.resuming) {
      ctx.run.empiricalPolicy.resuming = false;
    }
  }
}
