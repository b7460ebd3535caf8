import type { OrchestrationContext } from '../../engine/orchestration.context';
import { UniversalTransform } from '../../engine/universal.transform';
import { flowRunStateChangeEvent } from '../../events/flow-run-state-event';

/**
 * Every flow-run state written (accepted, or chosen by a rejecting rule) is announced as a
 * `prefect.flow-run.<state name>` event whose id is the new state's id.
 */
export class InstrumentFlowRunStateTransitionsTransform extends UniversalTransform<'flow'> {
  readonly name = 'InstrumentFlowRunStateTransitions';

  override async after(ctx: OrchestrationContext<'flow'>): Promise<void> {
    const validated = ctx.validatedState;
    if (ctx.proposedState === null || validated === null) return;
    const related = await ctx.ports.events.readRelatedObjects(ctx.run.id);
    await ctx.ports.events.emit(
      flowRunStateChangeEvent({
        run: ctx.run,
        related,
        initialState: ctx.initialState,
        validatedState: validated,
      }),
    );
  }
}
