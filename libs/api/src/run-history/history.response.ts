import { STATE_TYPES } from '@orrery/domain';
import type { HistoryIntervalRecord } from '@orrery/persistence';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** One interval of run history: the runs in each state whose expected start falls in it. */
export const HISTORY = wireModel('HistoryResponse', {
  interval_start: wire.dateTime(),
  interval_end: wire.dateTime(),
  states: wire.array(
    wireModel('HistoryResponseState', {
      state_type: wire.enum(STATE_TYPES),
      state_name: wire.string(),
      count_runs: wire.integer(),
      sum_estimated_run_time: wire.number(),
      sum_estimated_lateness: wire.number(),
    }),
  ),
});

/** `history_start`, `history_end` (datetimes) and `history_interval_seconds` (a timedelta, ≥ 1 s). */
export const HISTORY_WINDOW_FIELDS = {
  history_start: { type: 'string', format: 'date-time' },
  history_end: { type: 'string', format: 'date-time' },
  history_interval_seconds: { type: 'number', format: 'time-delta', minimum: 1 },
};

/** `HistoryResponse` on the wire. */
export function historyResponse(interval: HistoryIntervalRecord): WireOf<typeof HISTORY> {
  return {
    interval_start: interval.interval_start,
    interval_end: interval.interval_end,
    states: interval.states.map((s) => ({
      state_type: s.state_type,
      state_name: s.state_name,
      count_runs: s.count_runs,
      sum_estimated_run_time: s.sum_estimated_run_time,
      sum_estimated_lateness: s.sum_estimated_lateness,
    })),
  };
}
