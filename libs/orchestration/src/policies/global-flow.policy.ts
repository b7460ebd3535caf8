import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import { EnsureFlowRunStateTimestampIsUniqueTransform } from '../transforms/ensure-flow-run-state-timestamp-is-unique.transform';
import { IncrementFlowRunCountTransform } from '../transforms/increment-flow-run-count.transform';
import { RemoveResumingIndicatorTransform } from '../transforms/remove-resuming-indicator.transform';
import { UpdateSubflowParentTaskTransform } from '../transforms/update-subflow-parent-task.transform';
import { UpdateSubflowStateDetailsTransform } from '../transforms/update-subflow-state-details.transform';
import { COMMON_GLOBAL_TRANSFORMS } from './common-global-transforms';

/** Always appended to a flow policy, innermost (spec-api §4.4). */
export const GLOBAL_FLOW_POLICY: OrchestrationPolicy<'flow'> = {
  name: 'GlobalFlowPolicy',
  kind: 'flow',
  rules: [
    EnsureFlowRunStateTimestampIsUniqueTransform,
    ...COMMON_GLOBAL_TRANSFORMS,
    UpdateSubflowParentTaskTransform,
    UpdateSubflowStateDetailsTransform,
    IncrementFlowRunCountTransform,
    RemoveResumingIndicatorTransform,
  ],
};
