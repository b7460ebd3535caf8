import { isTerminal, type Instant, type StateType } from '@orrery/domain';

/** The run columns the computed response fields of spec-api §2.1 read. */
export interface RunTimingFields {
  stateType: StateType | null;
  stateTimestamp: Instant | null;
  totalRunTime: number;
  startTime: Instant | null;
  expectedStartTime: Instant | null;
}

/** `estimated_run_time` in seconds: total run time, plus the time in the current RUNNING state. */
export function estimatedRunTime(run: RunTimingFields, now: Instant): number {
  if (run.stateType === 'RUNNING' && run.stateTimestamp !== null) {
    return run.totalRunTime + Math.max(0, now.secondsSince(run.stateTimestamp));
  }
  return run.totalRunTime;
}

/**
 * `estimated_start_time_delta` (lateness) in seconds: how late the run started, or, for a run that
 * has not started, is not finished and is overdue, how late it is so far; otherwise 0.
 */
export function estimatedStartTimeDelta(run: RunTimingFields, now: Instant): number {
  const expected = run.expectedStartTime;
  if (expected === null) return 0;
  if (run.startTime !== null && run.startTime.isAfter(expected)) {
    return run.startTime.secondsSince(expected);
  }
  if (run.startTime === null && !isTerminal(run.stateType) && expected.isBefore(now)) {
    return now.secondsSince(expected);
  }
  return 0;
}
