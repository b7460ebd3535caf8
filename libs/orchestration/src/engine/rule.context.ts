import type { Instant, State, StateCreate, StateType } from '@orrery/domain';
import { OrchestrationError } from './orchestration.error';
import type { OrchestrationContext } from './orchestration.context';
import type { OrchestrationParameters, OrchestrationSettings } from './orchestration-parameters';
import type { OrchestrationPorts } from './orchestration.ports';
import type { RunKind, RunSnapshotOf } from './run-snapshot';

/**
 * What one normal rule sees: the shared context plus the transition it was compiled for. When the
 * rule itself rejects, waits or aborts, its own `to` follows the new proposed type (null when
 * nulled), which is how the engine later tells "I changed it" from "a later rule changed it".
 */
export class RuleContext<K extends RunKind = RunKind> {
  constructor(
    private readonly context: OrchestrationContext<K>,
    readonly fromType: StateType | null,
    public toType: StateType | null,
  ) {}

  get kind(): K {
    return this.context.kind;
  }
  get run(): RunSnapshotOf[K] {
    return this.context.run;
  }
  get initialState(): State | null {
    return this.context.initialState;
  }
  get proposedState(): State | null {
    return this.context.proposedState;
  }
  get validatedState(): State | null {
    return this.context.validatedState;
  }
  get params(): OrchestrationParameters {
    return this.context.params;
  }
  get settings(): OrchestrationSettings {
    return this.context.settings;
  }
  get ports(): OrchestrationPorts {
    return this.context.ports;
  }

  now(): Instant {
    return this.context.now();
  }

  newState(create: StateCreate): State {
    return this.context.newState(create);
  }

  /** True while the context still holds the transition this rule was compiled for. */
  get transitionUnchanged(): boolean {
    return this.fromType === this.context.initialStateType && this.toType === this.context.proposedStateType;
  }

  /**
   * REJECT. With a state, that state replaces the proposal; without one the run keeps its current
   * state (not allowed when it has none).
   */
  reject(state: State | null, reason: string): void {
    this.assertNotValidated();
    if (state === null) {
      if (this.fromType === null) {
        throw new OrchestrationError(
          'The current run has no state; this transition cannot be rejected without providing a new state.',
        );
      }
      this.toType = null;
      this.context.proposedState = null;
    } else {
      this.toType = state.type;
      this.context.proposedState = state;
    }
    this.context.status = 'REJECT';
    this.context.details = { type: 'reject_details', reason };
  }

  /** WAIT: the client should propose again after `delaySeconds`. */
  wait(delaySeconds: number, reason: string): void {
    this.assertNotValidated();
    this.toType = null;
    this.context.proposedState = null;
    this.context.status = 'WAIT';
    this.context.details = { type: 'wait_details', delaySeconds, reason };
  }

  /** ABORT: the client must give up the run. */
  abort(reason: string): void {
    this.assertNotValidated();
    this.toType = null;
    this.context.proposedState = null;
    this.context.status = 'ABORT';
    this.context.details = { type: 'abort_details', reason };
  }

  /** Renames the proposed state; does not change which rules apply. */
  rename(name: string): void {
    if (this.context.proposedState !== null) this.context.proposedState.name = name;
  }

  private assertNotValidated(): void {
    if (this.context.validatedState !== null)
      throw new OrchestrationError('The transition is already validated');
  }
}
