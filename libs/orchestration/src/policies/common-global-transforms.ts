import type { RuleClass } from '../engine/orchestration.policy';
import type { RunKind } from '../engine/run-snapshot';
import { IncrementRunTimeTransform } from '../transforms/increment-run-time.transform';
import { SetEndTimeTransform } from '../transforms/set-end-time.transform';
import { SetExpectedStartTimeTransform } from '../transforms/set-expected-start-time.transform';
import { SetNextScheduledStartTimeTransform } from '../transforms/set-next-scheduled-start-time.transform';
import { SetRunStateNameTransform } from '../transforms/set-run-state-name.transform';
import { SetRunStateTimestampTransform } from '../transforms/set-run-state-timestamp.transform';
import { SetRunStateTypeTransform } from '../transforms/set-run-state-type.transform';
import { SetStartTimeTransform } from '../transforms/set-start-time.transform';
import { UpdateStateDetailsTransform } from '../transforms/update-state-details.transform';

/** The run-column bookkeeping both global policies share, in order. */
export const COMMON_GLOBAL_TRANSFORMS: readonly RuleClass<RunKind>[] = [
  SetRunStateTypeTransform,
  SetRunStateNameTransform,
  SetRunStateTimestampTransform,
  SetStartTimeTransform,
  SetEndTimeTransform,
  IncrementRunTimeTransform,
  SetExpectedStartTimeTransform,
  SetNextScheduledStartTimeTransform,
  UpdateStateDetailsTransform,
];
