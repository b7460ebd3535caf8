import type { OrchestrationRule } from './orchestration.rule';
import type { RunKind } from './run-snapshot';
import type { UniversalTransform } from './universal.transform';

export type RuleClass<K extends RunKind> = new () => OrchestrationRule<K> | UniversalTransform<K>;

/** An ordered list of rules and transforms (Prefect's OrchestrationPolicy.priority()). */
export interface OrchestrationPolicy<K extends RunKind> {
  readonly name: string;
  readonly kind: K;
  readonly rules: readonly RuleClass<K>[];
}
