import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import type { RunKind } from '../engine/run-snapshot';
import { BACKGROUND_TASK_POLICY } from './background-task.policy';
import { CORE_FLOW_POLICY } from './core-flow.policy';
import { CORE_TASK_POLICY } from './core-task.policy';
import { MARK_LATE_RUNS_POLICY } from './mark-late-runs.policy';
import { MINIMAL_FLOW_POLICY } from './minimal-flow.policy';
import { MINIMAL_TASK_POLICY } from './minimal-task.policy';
import { selectPolicy } from './select-policy';

function names<K extends RunKind>(policy: OrchestrationPolicy<K>): string[] {
  return policy.rules.map((R) => new R().name);
}

describe('policy tables (spec-api §4.2, §4.3)', () => {
  it('CoreFlowPolicy has its 17 rules in order', () => {
    expect(names(CORE_FLOW_POLICY)).toEqual([
      'PreserveDeploymentConcurrencyLeaseId',
      'PreventDuplicateTransitions',
      'HandleFlowTerminalStateTransitions',
      'EnforceCancellingToCancelledTransition',
      'BypassCancellingFlowRunsWithNoInfra',
      'PreventPendingTransitions',
      'ValidateDeploymentConcurrencyAtRunning',
      'SecureFlowConcurrencySlots',
      'RemoveDeploymentConcurrencyLeaseForOldClientVersions',
      'EnsureOnlyScheduledFlowsMarkedLate',
      'HandlePausingFlows',
      'HandleResumingPausedFlows',
      'CopyScheduledTime',
      'WaitForScheduledTime',
      'RetryFailedFlows',
      'InstrumentFlowRunStateTransitions',
      'ReleaseFlowConcurrencySlots',
    ]);
    const universal = CORE_FLOW_POLICY.rules
      .map((R) => new R())
      .filter((r) => r.universal)
      .map((r) => r.name);
    expect(universal).toEqual([
      'PreserveDeploymentConcurrencyLeaseId',
      'InstrumentFlowRunStateTransitions',
      'ReleaseFlowConcurrencySlots',
    ]);
  });

  it('MinimalFlowPolicy and MarkLateRunsPolicy', () => {
    expect(names(MINIMAL_FLOW_POLICY)).toEqual([
      'PreventResultDataLoss',
      'BypassCancellingFlowRunsWithNoInfra',
      'InstrumentFlowRunStateTransitions',
      'ReleaseFlowConcurrencySlots',
    ]);
    expect(names(MARK_LATE_RUNS_POLICY)).toEqual([
      'EnsureOnlyScheduledFlowsMarkedLate',
      'EnforceDeploymentConcurrencyOnLate',
      'InstrumentFlowRunStateTransitions',
    ]);
  });

  it('CoreTaskPolicy has its 11 rules, BackgroundTaskPolicy its 12, MinimalTaskPolicy one', () => {
    expect(names(CORE_TASK_POLICY)).toEqual([
      'CacheRetrieval',
      'HandleTaskTerminalStateTransitions',
      'PreventRunningTasksFromStoppedFlows',
      'SecureTaskConcurrencySlots',
      'CopyScheduledTime',
      'WaitForScheduledTime',
      'RetryFailedTasks',
      'RenameReruns',
      'UpdateFlowRunTrackerOnTasks',
      'CacheInsertion',
      'ReleaseTaskConcurrencySlots',
    ]);
    expect(names(BACKGROUND_TASK_POLICY)).toEqual([
      'PreventPendingTransitions',
      'CacheRetrieval',
      'HandleTaskTerminalStateTransitions',
      'CopyScheduledTime',
      'CopyTaskParametersID',
      'WaitForScheduledTime',
      'RetryFailedTasks',
      'RenameReruns',
      'UpdateFlowRunTrackerOnTasks',
      'CacheInsertion',
      'ReleaseTaskConcurrencySlots',
      'EnqueueScheduledTasks',
    ]);
    expect(names(MINIMAL_TASK_POLICY)).toEqual(['ReleaseTaskConcurrencySlots']);
  });
});

describe('selectPolicy (spec-api §4.1 item 3)', () => {
  it('flows: Minimal when forced, else Core (deferred does not matter)', () => {
    expect(selectPolicy('flow', { force: true, deferred: false })).toBe(MINIMAL_FLOW_POLICY);
    expect(selectPolicy('flow', { force: false, deferred: true })).toBe(CORE_FLOW_POLICY);
  });

  it('tasks: Background when deferred (even forced), else Minimal when forced, else Core', () => {
    expect(selectPolicy('task', { force: true, deferred: true })).toBe(BACKGROUND_TASK_POLICY);
    expect(selectPolicy('task', { force: false, deferred: true })).toBe(BACKGROUND_TASK_POLICY);
    expect(selectPolicy('task', { force: true, deferred: false })).toBe(MINIMAL_TASK_POLICY);
    expect(selectPolicy('task', { force: false, deferred: false })).toBe(CORE_TASK_POLICY);
  });
});
