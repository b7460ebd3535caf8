import type { OrchestrationContext } from '../engine/orchestration.context';
import type { RunSnapshotOf } from '../engine/run-snapshot';
import { UniversalTransform } from '../engine/universal.transform';

/** A state's run ids are the server's, whatever the client sent. */
export class UpdateStateDetailsTransform extends UniversalTransform {
  readonly name = 'UpdateStateDetails';

  override before(ctx: OrchestrationContext): void {
    const proposed = ctx.proposedState;
    if (proposed === null) return;
    if (ctx.kind === 'flow') {
      proposed.stateDetails.flowRunId = ctx.run.id;
    } else {
      proposed.stateDetails.flowRunId = (ctx.run as RunSnapshotOf['task']).flowRunId;
      proposed.stateDetails.taskRunId = ctx.run.id;
    }
  }
}
