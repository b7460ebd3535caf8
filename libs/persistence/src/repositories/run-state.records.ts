import { Instant, type State, stateDetailsFromWire, type StateType } from '@orrery/domain';

/**
 * A flow-run or task-run state as stored: the `*_run_state` row, whose `data` is the row's own
 * (legacy) `data` column or else the `data` of its result artifact (spec-api §2.1).
 */
export type StateRecord = State;

/** A state row as the SELECTs below return it (timestamps as PostgreSQL text). */
export interface RunStateRow {
  id: string;
  type: StateType;
  name: string;
  timestamp: string;
  message: string | null;
  state_details: unknown;
  data: unknown;
}

export function toStateRecord(row: RunStateRow): StateRecord {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    timestamp: Instant.parse(row.timestamp),
    message: row.message,
    data: row.data ?? null,
    stateDetails: stateDetailsFromWire(row.state_details),
  };
}

/**
 * The select list of a run's current state joined as `<alias>` with its result artifact as
 * `<alias>_artifact`, each column prefixed `state__` so it can sit beside the run's own columns.
 */
export function currentStateColumns(alias: string): string {
  return [
    `${alias}.id AS state__id`,
    `${alias}.type AS state__type`,
    `${alias}.name AS state__name`,
    `${alias}."timestamp" AS state__timestamp`,
    `${alias}.message AS state__message`,
    `${alias}.state_details AS state__state_details`,
    `COALESCE(${alias}.data, ${alias}_artifact.data) AS state__data`,
  ].join(', ');
}

/** The `state__*` columns of a joined current state (all null when the run has none). */
export interface CurrentStateColumns {
  state__id: string | null;
  state__type: StateType | null;
  state__name: string | null;
  state__timestamp: string | null;
  state__message: string | null;
  state__state_details: unknown;
  state__data: unknown;
}

export function currentStateFromRow(row: CurrentStateColumns): StateRecord | null {
  if (row.state__id === null || row.state__type === null || row.state__timestamp === null) return null;
  return toStateRecord({
    id: row.state__id,
    type: row.state__type,
    name: row.state__name ?? '',
    timestamp: row.state__timestamp,
    message: row.state__message,
    state_details: row.state__state_details,
    data: row.state__data,
  });
}

/** Nullable timestamp text → Instant. */
export function instantOrNull(text: string | null): Instant | null {
  return text === null ? null : Instant.parse(text);
}
