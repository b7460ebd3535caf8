import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { only } from '../../engine/state-sets';

/** A run may not start RUNNING before its scheduled time: the client is told to wait. */
export class WaitForScheduledTimeRule extends OrchestrationRule {
  readonly name = 'WaitForScheduledTime';
  readonly fromStates = only('SCHEDULED', 'PENDING');
  readonly toStates = only('RUNNING');

  override before(ctx: RuleContext): void {
    const { initialState: initial, proposedState: proposed } = ctx;
    if (initial === null || proposed === null) return;
    const scheduledTime = initial.stateDetails.scheduledTime;
    if (scheduledTime === null) return;
    const delaySeconds = wholeSecondsUntil(scheduledTime.epochMicros - ctx.now().epochMicros);
    if (delaySeconds > 0) {
      ctx.wait(delaySeconds, 'Scheduled time is in the future');
    }
  }
}

/**
 * The API answers an integer delay. Like Prefect: whole seconds (floored) plus the fraction rounded
 * half to even, i.e. 4.6 s → 5, 4.5 s → 4, −0.4 s → 0.
 */
export function wholeSecondsUntil(micros: number): number {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  return seconds + (fraction > 500_000 ? 1 : 0);
}
