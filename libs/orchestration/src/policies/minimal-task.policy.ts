import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { ReleaseTaskConcurrencySlotsTransform } from '../rules/task/release-task-concurrency-slots.transform';

/** Forced task-run transitions: only slots are released (spec-api §4.3). */
export const MINIMAL_TASK_POLICY: OrchestrationPolicy<'task'> = {
  name: 'MinimalTaskPolicy',
  kind: 'task',
  rules: [ReleaseTaskConcurrencySlotsTransform],
};
