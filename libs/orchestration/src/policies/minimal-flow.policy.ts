import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { BypassCancellingFlowRunsWithNoInfraRule } from '../rules/flow/bypass-cancelling-flow-runs-with-no-infra.rule';
import { InstrumentFlowRunStateTransitionsTransform } from '../rules/flow/instrument-flow-run-state-transitions.transform';
import { PreventResultDataLossRule } from '../rules/flow/prevent-result-data-loss.rule';
import { ReleaseFlowConcurrencySlotsTransform } from '../rules/flow/release-flow-concurrency-slots.transform';

/** Forced flow-run transitions and the initial state written on create (spec-api §4.2). */
export const MINIMAL_FLOW_POLICY: OrchestrationPolicy<'flow'> = {
  name: 'MinimalFlowPolicy',
  kind: 'flow',
  rules: [
    PreventResultDataLossRule, //                  terminal → terminal
    BypassCancellingFlowRunsWithNoInfraRule, //    {SCHEDULED, PAUSED} → CANCELLING (cancel from the UI)
    InstrumentFlowRunStateTransitionsTransform, // universal
    ReleaseFlowConcurrencySlotsTransform, //       universal
  ],
};
