import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { CopyScheduledTimeRule } from '../rules/shared/copy-scheduled-time.rule';
import { RenameRerunsRule } from '../rules/shared/rename-reruns.rule';
import { WaitForScheduledTimeRule } from '../rules/shared/wait-for-scheduled-time.rule';
import { CacheInsertionRule } from '../rules/task/cache-insertion.rule';
import { CacheRetrievalRule } from '../rules/task/cache-retrieval.rule';
import { HandleTaskTerminalStateTransitionsRule } from '../rules/task/handle-task-terminal-state-transitions.rule';
import { PreventRunningTasksFromStoppedFlowsRule } from '../rules/task/prevent-running-tasks-from-stopped-flows.rule';
import { ReleaseTaskConcurrencySlotsTransform } from '../rules/task/release-task-concurrency-slots.transform';
import { RetryFailedTasksRule } from '../rules/task/retry-failed-tasks.rule';
import { SecureTaskConcurrencySlotsRule } from '../rules/task/secure-task-concurrency-slots.rule';
import { UpdateFlowRunTrackerOnTasksRule } from '../rules/task/update-flow-run-tracker-on-tasks.rule';

/** Non-forced `POST /task_runs/{id}/set_state` (spec-api §4.3), in priority order. */
export const CORE_TASK_POLICY: OrchestrationPolicy<'task'> = {
  name: 'CoreTaskPolicy',
  kind: 'task',
  rules: [
    CacheRetrievalRule, //                      1  any → RUNNING
    HandleTaskTerminalStateTransitionsRule, //  2  terminal → any
    PreventRunningTasksFromStoppedFlowsRule, // 3  any → RUNNING
    SecureTaskConcurrencySlotsRule, //          4  any → RUNNING (after the cache: a cached task needs no slot)
    CopyScheduledTimeRule, //                   5  SCHEDULED → PENDING
    WaitForScheduledTimeRule, //                6  {SCHEDULED, PENDING} → RUNNING
    RetryFailedTasksRule, //                    7  RUNNING → FAILED
    RenameRerunsRule, //                        8  any → RUNNING
    UpdateFlowRunTrackerOnTasksRule, //         9  any → RUNNING
    CacheInsertionRule, //                      10 any → COMPLETED
    ReleaseTaskConcurrencySlotsTransform, //    11 universal
  ],
};
