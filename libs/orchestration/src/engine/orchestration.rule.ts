import type { State } from '@orrery/domain';
import type { RuleContext } from './rule.context';
import type { RunKind } from './run-snapshot';
import type { StateTypeSet } from './state-sets';

/**
 * A normal orchestration rule (spec-api §4.1): it applies only to transitions whose initial type is
 * in `fromStates` and proposed type in `toStates`, and only while no earlier rule has changed that
 * transition. A fresh instance is made per orchestration, so instance fields may carry what
 * `before` took for `cleanup` to give back.
 */
export abstract class OrchestrationRule<K extends RunKind = RunKind> {
  readonly universal = false as const;
  abstract readonly name: string;
  abstract readonly fromStates: StateTypeSet;
  abstract readonly toStates: StateTypeSet;

  /** Inspect or change the proposal; may reject, wait, abort or rename. */
  before(_ctx: RuleContext<K>): Promise<void> | void {}

  /** The transition happened as this rule saw it (`validated` is the written or current state). */
  after(_ctx: RuleContext<K>, _validated: State | null): Promise<void> | void {}

  /** A later rule changed the transition: undo what `before` did. */
  cleanup(_ctx: RuleContext<K>, _validated: State | null): Promise<void> | void {}
}
