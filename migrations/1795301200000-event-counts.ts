import { SqlMigration } from './sql-migration';

/**
 * Pre-aggregated event counts (issue 17): `POST /events/count-by/event|time|day` over a day or a
 * week counted every event of the window (320 000 a day, 2.2 M a week at the million-run scale:
 * 0.3–6 s). `event_counts` holds, per hour (date_bin from 2024-04-01, the count-by pivot, so any
 * bucket width that is a whole number of hours is a union of these rows) and event name, how many
 * events occurred, the oldest and the latest occurrence. The count-by reads sum the whole hours
 * of the window here and count the partial hours at either end from `events`
 * (event-filter.sql.ts, eventRollupNameCountQuery / eventRollupTimeBucketQuery), so the answer is
 * exact.
 *
 * Maintained in the statement that writes the events (EVENT_INSERT_SQL: only the rows actually
 * inserted, so a redelivered event is not counted twice) and in db-vacuum's delete batches
 * (decremented by the rows deleted; an hour whose count reaches 0 goes). No id/created/updated
 * columns: the key is (bucket, event), pk_event_counts, which serves the window range reads.
 * Existing events are counted once here.
 */
export class EventCounts1795301200000 extends SqlMigration {
  name = 'EventCounts1795301200000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE TABLE event_counts (
    bucket timestamptz NOT NULL,
    event text NOT NULL,
    count bigint NOT NULL,
    oldest timestamptz NOT NULL,
    latest timestamptz NOT NULL,
    CONSTRAINT pk_event_counts PRIMARY KEY (bucket, event)
  )`,
  `INSERT INTO event_counts (bucket, event, count, oldest, latest)
    SELECT date_bin('1 hour', occurred, '2024-04-01T00:00:00Z'), event, count(*), min(occurred), max(occurred)
      FROM events GROUP BY 1, 2`,
];

const DOWN = [`DROP TABLE event_counts`];
