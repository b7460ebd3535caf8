import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { IncrementTaskRunCountTransform } from '../transforms/increment-task-run-count.transform';
import { COMMON_GLOBAL_TRANSFORMS } from './common-global-transforms';

/** Always appended to a task policy, innermost (spec-api §4.4). */
export const GLOBAL_TASK_POLICY: OrchestrationPolicy<'task'> = {
  name: 'GlobalTaskPolicy',
  kind: 'task',
  rules: [...COMMON_GLOBAL_TRANSFORMS, IncrementTaskRunCountTransform],
};
