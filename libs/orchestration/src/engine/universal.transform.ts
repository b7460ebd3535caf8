import type { OrchestrationContext } from './orchestration.context';
import type { RunKind } from './run-snapshot';

/**
 * A universal transform: applies to every transition, always runs its `before` (which must no-op
 * when the proposal is null) and its `after` unless a before hook threw.
 */
export abstract class UniversalTransform<K extends RunKind = RunKind> {
  readonly universal = true as const;
  abstract readonly name: string;

  before(_ctx: OrchestrationContext<K>): Promise<void> | void {}

  after(_ctx: OrchestrationContext<K>): Promise<void> | void {}
}
