import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { CopyScheduledTimeRule } from '../rules/shared/copy-scheduled-time.rule';
import { PreventPendingTransitionsRule } from '../rules/shared/prevent-pending-transitions.rule';
import { RenameRerunsRule } from '../rules/shared/rename-reruns.rule';
import { WaitForScheduledTimeRule } from '../rules/shared/wait-for-scheduled-time.rule';
import { CacheInsertionRule } from '../rules/task/cache-insertion.rule';
import { CacheRetrievalRule } from '../rules/task/cache-retrieval.rule';
import { CopyTaskParametersIdRule } from '../rules/task/copy-task-parameters-id.rule';
import { EnqueueScheduledTasksRule } from '../rules/task/enqueue-scheduled-tasks.rule';
import { HandleTaskTerminalStateTransitionsRule } from '../rules/task/handle-task-terminal-state-transitions.rule';
import { ReleaseTaskConcurrencySlotsTransform } from '../rules/task/release-task-concurrency-slots.transform';
import { RetryFailedTasksRule } from '../rules/task/retry-failed-tasks.rule';
import { UpdateFlowRunTrackerOnTasksRule } from '../rules/task/update-flow-run-tracker-on-tasks.rule';

/** Deferred (background) task runs, forced or not (spec-api §4.3). No tag-slot rule, as upstream. */
export const BACKGROUND_TASK_POLICY: OrchestrationPolicy<'task'> = {
  name: 'BackgroundTaskPolicy',
  kind: 'task',
  rules: [
    PreventPendingTransitionsRule, //          1  {PENDING, CANCELLING, RUNNING, CANCELLED} → PENDING
    CacheRetrievalRule, //                     2  any → RUNNING
    HandleTaskTerminalStateTransitionsRule, // 3  terminal → any
    CopyScheduledTimeRule, //                  4  SCHEDULED → PENDING
    CopyTaskParametersIdRule, //               5  {SCHEDULED, PENDING} → {PENDING, RUNNING}
    WaitForScheduledTimeRule, //               6  {SCHEDULED, PENDING} → RUNNING
    RetryFailedTasksRule, //                   7  RUNNING → FAILED
    RenameRerunsRule, //                       8  any → RUNNING
    UpdateFlowRunTrackerOnTasksRule, //        9  any → RUNNING
    CacheInsertionRule, //                     10 any → COMPLETED
    ReleaseTaskConcurrencySlotsTransform, //   11 universal
    EnqueueScheduledTasksRule, //              12 any → SCHEDULED
  ],
};
