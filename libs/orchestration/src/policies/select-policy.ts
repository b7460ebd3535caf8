import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import type { RunKind } from '../engine/run-snapshot';
import { BACKGROUND_TASK_POLICY } from './background-task.policy';
import { CORE_FLOW_POLICY } from './core-flow.policy';
import { CORE_TASK_POLICY } from './core-task.policy';
import { MINIMAL_FLOW_POLICY } from './minimal-flow.policy';
import { MINIMAL_TASK_POLICY } from './minimal-task.policy';

/**
 * spec-api §4.1 item 3: flows → Minimal if forced else Core; tasks → Background when the proposed
 * state is deferred (even when forced), else Minimal if forced, else Core.
 */
export function selectPolicy<K extends RunKind>(
  kind: K,
  options: { force: boolean; deferred: boolean },
): OrchestrationPolicy<K> {
  if (kind === 'flow') {
    return (options.force ? MINIMAL_FLOW_POLICY : CORE_FLOW_POLICY) as unknown as OrchestrationPolicy<K>;
  }
  if (options.deferred) return BACKGROUND_TASK_POLICY as unknown as OrchestrationPolicy<K>;
  return (options.force ? MINIMAL_TASK_POLICY : CORE_TASK_POLICY) as unknown as OrchestrationPolicy<K>;
}
