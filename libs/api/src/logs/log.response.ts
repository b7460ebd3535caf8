import type { LogRecord } from '@orrery/persistence';

/** `Log` on the wire (also the payload published to the `logs` topic). */
export function logResponse(log: LogRecord): object {
  return {
    id: log.id,
    created: log.created,
    updated: log.updated,
    name: log.name,
    level: log.level,
    message: log.message,
    timestamp: log.timestamp,
    flow_run_id: log.flow_run_id,
    task_run_id: log.task_run_id,
  };
}
