import { stateToWire } from '@orrery/domain';
import type { StateRecord } from '@orrery/persistence';

/** `State` on the wire: every field present; `data` is the row's data or its result artifact's. */
export function stateResponse(state: StateRecord): Record<string, unknown> {
  return stateToWire(state);
}

export function stateResponseOrNull(state: StateRecord | null): Record<string, unknown> | null {
  return state === null ? null : stateResponse(state);
}
