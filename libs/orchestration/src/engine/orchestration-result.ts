import { stateToWire, type State } from '@orrery/domain';
import type { RunKind, RunSnapshotOf } from './run-snapshot';

export type SetStateStatus = 'ACCEPT' | 'REJECT' | 'WAIT' | 'ABORT';

export type ResponseDetails =
  | { type: 'accept_details' }
  | { type: 'reject_details'; reason: string | null }
  | { type: 'wait_details'; delaySeconds: number; reason: string | null }
  | { type: 'abort_details'; reason: string | null };

/** Prefect's JSON for `OrchestrationResult.details`. */
export function responseDetailsToWire(details: ResponseDetails): Record<string, unknown> {
  switch (details.type) {
    case 'accept_details':
      return { type: details.type };
    case 'wait_details':
      return { type: details.type, delay_seconds: details.delaySeconds, reason: details.reason };
    case 'reject_details':
    case 'abort_details':
      return { type: details.type, reason: details.reason };
  }
}

export interface OrchestrationResult<K extends RunKind> {
  status: SetStateStatus;
  details: ResponseDetails;
  /**
   * The state to answer with: the new state on ACCEPT and REJECT-with-state, otherwise the run's
   * current, unchanged state (null only when the run has none).
   */
  state: State | null;
  /** The state row `insertState` wrote in this orchestration, if any. */
  newState: State | null;
  /** The run after orchestration. */
  run: RunSnapshotOf[K];
  /** Only the mutable run fields that changed: what the repository must UPDATE on the run row. */
  runChanges: Partial<RunSnapshotOf[K]>;
}

/** Prefect's `OrchestrationResult` JSON: `{state, status, details}`. */
export function orchestrationResultToWire(result: {
  state: State | null;
  status: SetStateStatus;
  details: ResponseDetails;
}) {
  return {
    state: result.state === null ? null : stateToWire(result.state),
    status: result.status,
    details: responseDetailsToWire(result.details),
  };
}
