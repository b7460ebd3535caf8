import { isTerminal, type State } from '@orrery/domain';

/**
 * A state "has a persisted result" when its data is an object whose `type` is not
 * `"unpersisted"` (spec-api §3.1). Only such results make COMPLETED sticky.
 */
export function isPersistedResult(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    (data as Record<string, unknown>)['type'] !== 'unpersisted'
  );
}

/** Prefect truthiness of `state.data`: null, empty objects/arrays/strings and 0 are falsy. */
export function isTruthyData(data: unknown): boolean {
  if (data === null || data === undefined || data === false || data === 0 || data === '') return false;
  if (Array.isArray(data)) return data.length > 0;
  if (typeof data === 'object') return Object.keys(data).length > 0;
  return true;
}

/** True when the state carries a result that must not be lost (see HandleFlowTerminalStateTransitions). */
export function hasPersistedResult(state: State | null): boolean {
  return state !== null && isTruthyData(state.data) && isPersistedResult(state.data);
}

export function isFinalState(state: State | null): boolean {
  return state !== null && isTerminal(state.type);
}

/** Event payloads cap state messages at this many characters (spec-services §3.2). */
export const TRUNCATE_STATE_MESSAGES_AT = 100_000;

/** Keeps the head and tail of an over-long text around a note of how much was cut; `""` for null. */
export function truncatedTo(length: number, value: string | null | undefined): string {
  if (!value) return '';
  if (value.length <= length) return value;
  const half = Math.floor(length / 2);
  const beginning = value.slice(0, half);
  const end = half > 0 ? value.slice(-half) : '';
  const omitted = value.length - (beginning.length + end.length);
  const proposed = `${beginning}...${omitted} additional characters...${end}`;
  return proposed.length < value.length ? proposed : value;
}
