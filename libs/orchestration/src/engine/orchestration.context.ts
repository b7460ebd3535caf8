import { stateFromCreate, type Instant, type State, type StateCreate, type StateType } from '@orrery/domain';
import type { OrchestrationParameters, OrchestrationSettings } from './orchestration-parameters';
import type { OrchestrationPorts } from './orchestration.ports';
import type { ResponseDetails, SetStateStatus } from './orchestration-result';
import type { RunKind, RunSnapshotOf } from './run-snapshot';

/**
 * The shared, mutable state of one orchestration (Prefect's OrchestrationContext). Rules see it
 * through a `RuleContext`; universal transforms see it directly.
 */
export class OrchestrationContext<K extends RunKind = RunKind> {
  validatedState: State | null = null;
  status: SetStateStatus = 'ACCEPT';
  details: ResponseDetails = { type: 'accept_details' };
  /** Set when a before hook threw: the transition is aborted and the error re-thrown at the end. */
  orchestrationError: { error: unknown } | null = null;

  constructor(
    readonly kind: K,
    /** A private copy of the run row: rules and transforms change it in place. */
    readonly run: RunSnapshotOf[K],
    readonly initialState: State | null,
    public proposedState: State | null,
    readonly params: OrchestrationParameters,
    readonly settings: OrchestrationSettings,
    readonly ports: OrchestrationPorts,
  ) {}

  get initialStateType(): StateType | null {
    return this.initialState?.type ?? null;
  }

  get proposedStateType(): StateType | null {
    return this.proposedState?.type ?? null;
  }

  now(): Instant {
    return this.ports.clock.now();
  }

  /** A server-made state (Cancelled, AwaitingRetry, …) with a fresh id and timestamp. */
  newState(create: StateCreate): State {
    return stateFromCreate(create, this.ports.ids.uuid7(), this.now());
  }
}
