import { wire, wireModel, type WireOf } from '../openapi/wire-schema';
import type { LogRecord } from '@orrery/persistence';

/** `Log` on the wire (also the payload published to the `logs` topic). */
export const LOG = wireModel('Log', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  level: wire.integer(),
  message: wire.string(),
  timestamp: wire.dateTime(),
  flow_run_id: wire.nullable(wire.uuid()),
  task_run_id: wire.nullable(wire.uuid()),
});

export function logResponse(log: LogRecord): WireOf<typeof LOG> {
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
