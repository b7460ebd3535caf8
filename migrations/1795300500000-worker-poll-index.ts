import { SqlMigration } from './sql-migration';

/**
 * The worker poll (`get_scheduled_flow_runs`) reads, per polled queue, that queue's SCHEDULED runs
 * earliest first. With only ix_flow_run__work_queue_id (or ix_flow_run__next_scheduled_start_time_asc)
 * PostgreSQL walks every run the queue ever had, finished ones included, then filters and sorts:
 * about 200 ms per poll with 10 000 scheduled runs beside 50 000 finished ones (tools/bench
 * worker-poll). This partial index holds only SCHEDULED runs, in the poll's order, so a poll reads
 * just the rows it hands out.
 */
export class WorkerPollIndex1795300500000 extends SqlMigration {
  name = 'WorkerPollIndex1795300500000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE INDEX ix_flow_run__work_queue_id_scheduled_next_start ON flow_run (work_queue_id, next_scheduled_start_time, id)
    WHERE state_type = 'SCHEDULED'`,
];

const DOWN = [`DROP INDEX ix_flow_run__work_queue_id_scheduled_next_start`];
