import { isTerminal } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, TERMINAL } from '../../engine/state-sets';
import { hasPersistedResult } from '../../support/state-helpers';

/**
 * Leaving a terminal task state: never to CANCELLING/PAUSED/CRASHED, never away from a persisted
 * COMPLETED result. A rerun starts its retries from zero, and a task rerun because its flow run is
 * retrying is named `Retrying`.
 */
export class HandleTaskTerminalStateTransitionsRule extends OrchestrationRule<'task'> {
  readonly name = 'HandleTaskTerminalStateTransitions';
  readonly fromStates = TERMINAL;
  readonly toStates = ANY_STATE;
  private originalRunCount: number | null = null;

  override async before(ctx: RuleContext<'task'>): Promise<void> {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    this.originalRunCount = ctx.run.runCount;
    if (proposed.type === 'CANCELLING' || proposed.type === 'PAUSED' || proposed.type === 'CRASHED') {
      ctx.abort(`Run is already ${initial.type}.`);
      return;
    }
    if (initial.type === 'COMPLETED' && hasPersistedResult(initial)) {
      ctx.reject(null, 'This run is already completed.');
      return;
    }
    if (!isTerminal(proposed.type)) {
      ctx.run.runCount = 0;
    }
    if (proposed.type === 'RUNNING' && ctx.run.flowRunId !== null) {
      const flowRun = await ctx.ports.flowRuns.readFlowRun(ctx.run.flowRunId);
      if (flowRun !== null && ctx.run.flowRunRunCount < flowRun.runCount) {
        ctx.rename('Retrying');
      }
    }
  }

  override cleanup(ctx: RuleContext<'task'>): void {
    if (this.originalRunCount !== null) ctx.run.runCount = this.originalRunCount;
  }
}
