import type { State } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/**
 * Only a RUNNING run may pause, each pause (by `pause_key`) only once, and only a top-level
 * deployment run may suspend (pause with its infrastructure released). The key is recorded once
 * the run really is PAUSED.
 */
export class HandlePausingFlowsRule extends OrchestrationRule<'flow'> {
  readonly name = 'HandlePausingFlows';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('PAUSED');
  private key: string | null = null;

  override before(ctx: RuleContext<'flow'>): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (proposed === null) return;
    const verb = proposed.name === 'Suspended' ? 'suspend' : 'pause';
    if (initial === null) {
      ctx.abort(`Cannot ${verb} flows with no state.`);
      return;
    }
    if (initial.type !== 'RUNNING') {
      ctx.reject(null, `Cannot ${verb} flows that are not currently running.`);
      return;
    }
    this.key = proposed.stateDetails.pauseKey ?? ctx.ports.ids.uuid4();
    if (ctx.run.empiricalPolicy.pauseKeys.includes(this.key)) {
      ctx.reject(null, `This ${verb} has already fired.`);
      return;
    }
    if (proposed.stateDetails.pauseReschedule) {
      if (ctx.run.parentTaskRunId !== null) {
        ctx.abort(`Cannot ${verb} subflows.`);
        return;
      }
      if (ctx.run.deploymentId === null) {
        ctx.abort(`Cannot ${verb} flows without a deployment.`);
      }
    }
  }

  override after(ctx: RuleContext<'flow'>, _validated: State | null): void {
    const policy = ctx.run.empiricalPolicy;
    if (this.key !== null && !policy.pauseKeys.includes(this.key)) {
      policy.pauseKeys = [...policy.pauseKeys, this.key];
    }
  }
}
