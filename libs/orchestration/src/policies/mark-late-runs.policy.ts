import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { EnforceDeploymentConcurrencyOnLateRule } from '../rules/flow/enforce-deployment-concurrency-on-late.rule';
import { EnsureOnlyScheduledFlowsMarkedLateRule } from '../rules/flow/ensure-only-scheduled-flows-marked-late.rule';
import { InstrumentFlowRunStateTransitionsTransform } from '../rules/flow/instrument-flow-run-state-transitions.transform';

/** What the late-runs service proposes `Late` through (spec-api §4.2, last paragraph). */
export const MARK_LATE_RUNS_POLICY: OrchestrationPolicy<'flow'> = {
  name: 'MarkLateRunsPolicy',
  kind: 'flow',
  rules: [
    EnsureOnlyScheduledFlowsMarkedLateRule, //     any → SCHEDULED
    EnforceDeploymentConcurrencyOnLateRule, //     SCHEDULED → SCHEDULED
    InstrumentFlowRunStateTransitionsTransform, // universal
  ],
};
