import { SqlMigration } from './sql-migration';

/**
 * `POST /ui/flows/next-runs` (ui-flows.repository.ts) asks, per flow on the flows page, for its
 * SCHEDULED run with the earliest next scheduled start:
 * `… WHERE flow_run.flow_id = $flow AND state_type = 'SCHEDULED' AND next_scheduled_start_time IS NOT NULL
 *  ORDER BY next_scheduled_start_time, id LIMIT 1`. Through ix_flow_run__flow_id it read every run
 * the flow ever had (5 000 per flow at a million runs) to find the few scheduled ones. This partial
 * index holds only SCHEDULED runs, in that order, so each probe reads one entry; it is maintained
 * only while a run is SCHEDULED.
 */
export class FlowNextRunIndex1795300700000 extends SqlMigration {
  name = 'FlowNextRunIndex1795300700000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE INDEX ix_flow_run__flow_id_scheduled_next_start ON flow_run (flow_id, next_scheduled_start_time, id)
    WHERE state_type = 'SCHEDULED'`,
];

const DOWN = [`DROP INDEX ix_flow_run__flow_id_scheduled_next_start`];
