import { Instant, type LogFilter } from '@orrery/domain';

/** A log as published on the `logs` topic (the `Log` wire shape, see log.response.ts). */
export interface StreamedLog {
  readonly id: string;
  readonly level: number;
  readonly timestamp: string;
  readonly flow_run_id: string | null;
  readonly task_run_id: string | null;
  readonly [key: string]: unknown;
}

/** Reads a `logs` message's data as a log, or null when it is not one. */
export function asStreamedLog(data: unknown): StreamedLog | null {
  const log = data as Partial<StreamedLog> | null;
  if (typeof log !== 'object' || log === null) return null;
  if (typeof log.id !== 'string' || typeof log.level !== 'number' || typeof log.timestamp !== 'string') {
    return null;
  }
  if (Instant.tryParse(log.timestamp) === null) return null;
  return log as StreamedLog;
}

/**
 * Whether a live log passes a `/logs/out` subscriber's LogFilter, with upstream's live-stream rules
 * (`logs/stream.py` `log_matches_filter`): level `ge_`/`le_` inclusive, timestamp `after_`/`before_`
 * inclusive, `flow_run_id.any_` and `task_run_id.any_` membership (a log without the id never
 * matches a list), `task_run_id.is_null_`. `operator` and `text` are not applied to the live stream.
 */
export function logMatches(filter: LogFilter, log: StreamedLog): boolean {
  const level = filter.level;
  if (level) {
    if (level.ge_ != null && log.level < level.ge_) return false;
    if (level.le_ != null && log.level > level.le_) return false;
  }
  const timestamp = filter.timestamp;
  if (timestamp && (timestamp.before_ != null || timestamp.after_ != null)) {
    const at = Instant.parse(log.timestamp);
    if (timestamp.before_ != null && at.isAfter(timestamp.before_)) return false;
    if (timestamp.after_ != null && at.isBefore(timestamp.after_)) return false;
  }
  const flowRunIds = filter.flow_run_id?.any_;
  if (flowRunIds != null && (log.flow_run_id === null || !flowRunIds.includes(log.flow_run_id))) return false;
  const taskRun = filter.task_run_id;
  if (taskRun) {
    if (taskRun.any_ != null && (log.task_run_id === null || !taskRun.any_.includes(log.task_run_id))) {
      return false;
    }
    if (taskRun.is_null_ != null && taskRun.is_null_ !== (log.task_run_id === null)) return false;
  }
  return true;
}
