import type { HistoryIntervalRecord } from '@orrery/persistence';

/** `HistoryResponse` on the wire. */
export function historyResponse(interval: HistoryIntervalRecord): object {
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
