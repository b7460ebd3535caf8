import { STATE_TYPES, type StateType } from '@orrery/domain';

/** A FROM or TO set of a rule; `null` stands for "the run has no state" / "no proposed state". */
export type StateTypeSet = ReadonlySet<StateType | null>;

/** Every state type and none. */
export const ANY_STATE: StateTypeSet = new Set<StateType | null>([...STATE_TYPES, null]);

export const TERMINAL: StateTypeSet = new Set<StateType | null>([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'CRASHED',
]);

export function only(...types: (StateType | null)[]): StateTypeSet {
  return new Set(types);
}

export function anyStateExcept(...types: (StateType | null)[]): StateTypeSet {
  const excluded = new Set(types);
  return new Set([...ANY_STATE].filter((t) => !excluded.has(t)));
}
