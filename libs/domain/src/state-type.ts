/** Prefect run state types (the `state_type` enum of the database). */
export const STATE_TYPES = [
  'SCHEDULED',
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'CRASHED',
  'PAUSED',
  'CANCELLING',
] as const;
export type StateType = (typeof STATE_TYPES)[number];

export const TERMINAL_STATE_TYPES: ReadonlySet<StateType> = new Set<StateType>([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'CRASHED',
]);

export function isTerminal(type: StateType | null | undefined): boolean {
  return type != null && TERMINAL_STATE_TYPES.has(type);
}

export function isStateType(value: unknown): value is StateType {
  return typeof value === 'string' && (STATE_TYPES as readonly string[]).includes(value);
}

/** The default state name for a type: the capitalised type ("Scheduled", "Cancelling", …). */
export function defaultStateName(type: StateType): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}
