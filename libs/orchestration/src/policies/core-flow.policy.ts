import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { BypassCancellingFlowRunsWithNoInfraRule } from '../rules/flow/bypass-cancelling-flow-runs-with-no-infra.rule';
import { EnsureOnlyScheduledFlowsMarkedLateRule } from '../rules/flow/ensure-only-scheduled-flows-marked-late.rule';
import { HandleFlowTerminalStateTransitionsRule } from '../rules/flow/handle-flow-terminal-state-transitions.rule';
import { HandlePausingFlowsRule } from '../rules/flow/handle-pausing-flows.rule';
import { HandleResumingPausedFlowsRule } from '../rules/flow/handle-resuming-paused-flows.rule';
import { InstrumentFlowRunStateTransitionsTransform } from '../rules/flow/instrument-flow-run-state-transitions.transform';
import { PreserveDeploymentConcurrencyLeaseIdTransform } from '../rules/flow/preserve-deployment-concurrency-lease-id.transform';
import { PreventDuplicateTransitionsRule } from '../rules/flow/prevent-duplicate-transitions.rule';
import { ReleaseFlowConcurrencySlotsTransform } from '../rules/flow/release-flow-concurrency-slots.transform';
import { RemoveDeploymentConcurrencyLeaseForOldClientVersionsRule } from '../rules/flow/remove-deployment-concurrency-lease-for-old-client-versions.rule';
import { RetryFailedFlowsRule } from '../rules/flow/retry-failed-flows.rule';
import { SecureFlowConcurrencySlotsRule } from '../rules/flow/secure-flow-concurrency-slots.rule';
import { ValidateDeploymentConcurrencyAtRunningRule } from '../rules/flow/validate-deployment-concurrency-at-running.rule';
import { CopyScheduledTimeRule } from '../rules/shared/copy-scheduled-time.rule';
import { EnforceCancellingToCancelledTransitionRule } from '../rules/shared/enforce-cancelling-to-cancelled-transition.rule';
import { PreventPendingTransitionsRule } from '../rules/shared/prevent-pending-transitions.rule';
import { WaitForScheduledTimeRule } from '../rules/shared/wait-for-scheduled-time.rule';

/** Non-forced flow-run transitions (spec-api §4.2), in priority order. */
export const CORE_FLOW_POLICY: OrchestrationPolicy<'flow'> = {
  name: 'CoreFlowPolicy',
  kind: 'flow',
  rules: [
    PreserveDeploymentConcurrencyLeaseIdTransform, //         1  universal
    PreventDuplicateTransitionsRule, //                       2  any → any
    HandleFlowTerminalStateTransitionsRule, //                3  terminal → any
    EnforceCancellingToCancelledTransitionRule, //            4  CANCELLING → ¬CANCELLED
    BypassCancellingFlowRunsWithNoInfraRule, //               5  {SCHEDULED, PAUSED} → CANCELLING
    PreventPendingTransitionsRule, //                         6  {PENDING, CANCELLING, RUNNING, CANCELLED} → PENDING
    ValidateDeploymentConcurrencyAtRunningRule, //            7  PENDING → RUNNING
    SecureFlowConcurrencySlotsRule, //                        8  ¬{PENDING, RUNNING, CANCELLING} → PENDING
    RemoveDeploymentConcurrencyLeaseForOldClientVersionsRule, // 9  PENDING → {RUNNING, CANCELLING}
    EnsureOnlyScheduledFlowsMarkedLateRule, //                10 any → SCHEDULED
    HandlePausingFlowsRule, //                                11 any → PAUSED
    HandleResumingPausedFlowsRule, //                         12 PAUSED → any
    CopyScheduledTimeRule, //                                 13 SCHEDULED → PENDING
    WaitForScheduledTimeRule, //                              14 {SCHEDULED, PENDING} → RUNNING
    RetryFailedFlowsRule, //                                  15 RUNNING → FAILED
    InstrumentFlowRunStateTransitionsTransform, //            16 universal
    ReleaseFlowConcurrencySlotsTransform, //                  17 universal
  ],
};
