import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseKindOf } from '../create-data-source';
import { DATA_SOURCE } from '../persistence.tokens';
import type { EventCriteria, EventRecord } from './event.criteria';
import { Instant } from '@orrery/domain';
import {
  eventCountQuery,
  eventRollupCountQuery,
  type RollupHours,
  eventPageQuery,
  eventRollupNameCountQuery,
  eventRollupTimeBucketQuery,
  eventTimeBucketQuery,
  eventValueCountQuery,
  rollupHours,
} from './event-filter.sql';

/** One row of `/events/count-by/event|resource`. */
export interface EventValueCount {
  readonly value: string;
  readonly label: string;
  readonly count: number;
  readonly start_time: string;
  readonly end_time: string;
}

/** An accepted event as the event-persister writes it (the shape of `@orrery/events`' ReceivedEvent). */
export interface EventWrite {
  readonly id: string;
  readonly occurred: string;
  readonly event: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly related: readonly Readonly<Record<string, string>>[];
  readonly payload: Readonly<Record<string, unknown>>;
  readonly received: string;
  readonly follows: string | null;
}

/*
 * The event-persister's write (spec-services-events-ha §2.1) as ONE statement whatever the batch
 * size: the events travel as one jsonb parameter (no bind-parameter limit, one statement text, so
 * one plan shape), and the statement is its own transaction — one round trip instead of BEGIN, an
 * events insert, an event_resources insert and COMMIT.
 * 1. `inserted`: `INSERT … ON CONFLICT (id) DO NOTHING` (pk_events) returns only the new events, so
 *    a redelivered or re-sent event is stored exactly once;
 * 2. `resources`: for each new event, its primary resource (role '') and one row per related
 *    resource, each holding the labels other than id and role (ix_event_resources__* are
 *    maintained, not read, here).
 * 3. `counted`: the new events per hour and name added to `event_counts` (migration
 *    1795301200000: the count-by reads' rollup), keys in order so concurrent writers lock rows in
 *    the same order.
 * `recorded` is the database's clock at the write.
 */
export const EVENT_INSERT_SQL = `
WITH incoming AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, occurred timestamptz, event text, resource_id text,
    resource jsonb, related_resource_ids jsonb, related jsonb, payload jsonb, received timestamptz, follows uuid)
), inserted AS (
  INSERT INTO events (id, occurred, event, resource_id, resource, related_resource_ids, related, payload, received,
      recorded, follows)
    SELECT id, occurred, event, resource_id, resource, related_resource_ids, related, payload, received, now(), follows
      FROM incoming
    ON CONFLICT (id) DO NOTHING
    RETURNING id, occurred, event, resource_id, resource, related
), counted AS (
  INSERT INTO event_counts AS c (bucket, event, count, oldest, latest)
    SELECT date_bin('1 hour', occurred, '2024-04-01T00:00:00Z'), event, count(*), min(occurred), max(occurred)
      FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (bucket, event) DO UPDATE SET count = c.count + excluded.count,
      oldest = least(c.oldest, excluded.oldest), latest = greatest(c.latest, excluded.latest)
), resources AS (
  INSERT INTO event_resources (occurred, resource_id, resource_role, resource, event_id)
    SELECT i.occurred, i.resource_id, '', i.resource - 'prefect.resource.id' - 'prefect.resource.role', i.id
      FROM inserted i
    UNION ALL
    SELECT i.occurred, coalesce(r ->> 'prefect.resource.id', ''), coalesce(r ->> 'prefect.resource.role', ''),
        r - 'prefect.resource.id' - 'prefect.resource.role', i.id
      FROM inserted i CROSS JOIN LATERAL jsonb_array_elements(i.related) r
)
SELECT id FROM inserted`;

const RESOURCE_ID = 'prefect.resource.id';

/** One event as a row of EVENT_INSERT_SQL's recordset. */
function eventRow(e: EventWrite): Record<string, unknown> {
  return {
    id: e.id,
    occurred: e.occurred,
    event: e.event,
    resource_id: e.resource[RESOURCE_ID] ?? '',
    resource: e.resource,
    related_resource_ids: e.related.map((r) => r[RESOURCE_ID] ?? null),
    related: e.related,
    payload: e.payload,
    received: e.received,
    follows: e.follows,
  };
}

/**
 * One row as JSON. PostgreSQL rejects NUL in text and jsonb: strip it rather than lose the event
 * (as for logs). A replacer makes stringify several times slower; NUL is rare, and always shows as
 * `\u0000` in JSON, so only a row holding one pays for it.
 */
function rowJson(row: Record<string, unknown>): string {
  const text = JSON.stringify(row);
  if (!text.includes('\\u0000')) return text;
  return JSON.stringify(row, (_key, v: unknown) => (typeof v === 'string' ? v.split('\u0000').join('') : v));
}

/**
 * On embedded PGlite a statement runs on the server's own thread: one 16 MiB batch held the event
 * loop for ~300 ms. There a batch is written as statements of at most this many bytes of JSON and
 * this many rows each (each row also writes its resources and the hourly count), in one transaction
 * so the batch stays atomic. PostgreSQL takes the batch in one statement.
 */
export const PGLITE_EVENT_STATEMENT_BYTES = 1024 * 1024;
export const PGLITE_EVENT_STATEMENT_ROWS = 100;

/** Consecutive rows, each group's JSON (after the first row) within `maxBytes`. */
function jsonChunks(rows: readonly string[], maxBytes: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const row of rows) {
    if (
      current.length > 0 &&
      (size + row.length > maxBytes || current.length >= PGLITE_EVENT_STATEMENT_ROWS)
    ) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 0;
    }
    current.push(row);
    size += row.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}

@Injectable()
export class EventRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Writes a batch with one statement (EVENT_INSERT_SQL, atomic): the events not stored yet and
   * their `event_resources` rows. Resolves after the commit to the ids newly written.
   */
  async insertMany(events: readonly EventWrite[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    // One id twice in one statement would make ON CONFLICT touch a row twice: keep the first.
    const seen = new Set<string>();
    const rows: Record<string, unknown>[] = [];
    for (const e of events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      rows.push(eventRow(e));
    }
    const json = rows.map(rowJson);
    const chunks =
      databaseKindOf(this.dataSource) === 'pglite' ? jsonChunks(json, PGLITE_EVENT_STATEMENT_BYTES) : [];
    if (chunks.length <= 1) {
      const written = (await this.dataSource.query(EVENT_INSERT_SQL, [`[${json.join(',')}]`])) as {
        id: string;
      }[];
      return new Set(written.map((row) => row.id));
    }
    return this.dataSource.transaction(async (manager) => {
      const ids = new Set<string>();
      for (const chunk of chunks) {
        const written = (await manager.query(EVENT_INSERT_SQL, [chunk])) as { id: string }[];
        for (const row of written) ids.add(row.id);
      }
      return ids;
    });
  }

  /** `/events/filter`: one page of the matching events (event-filter.sql.ts). */
  async page(criteria: EventCriteria, limit: number, offset: number): Promise<EventRecord[]> {
    const { sql, params } = eventPageQuery(criteria, limit, offset);
    return (await this.dataSource.query(sql, params)) as EventRecord[];
  }

  /** How many events match (the page's `total`). */
  async count(criteria: EventCriteria): Promise<number> {
    const hours = windowHours(criteria);
    const { sql, params } =
      hours === null ? eventCountQuery(criteria) : eventRollupCountQuery(criteria, hours);
    const rows = (await this.dataSource.query(sql, params)) as { count: string }[];
    return Number(rows[0]?.count ?? 0);
  }

  /** Matching events per time bucket (`floor((occurred − pivot) / delta)`), non-empty buckets only. */
  async countByTimeBucket(
    criteria: EventCriteria,
    pivot: string,
    deltaSeconds: number,
  ): Promise<{ bucket: number; count: number }[]> {
    // The rollup answers when each of its hours falls in one bucket: hour-aligned pivot and width.
    const hours =
      Number.isInteger(deltaSeconds / 3600) && Instant.parse(pivot).epochMicros % 3_600_000_000 === 0
        ? windowHours(criteria)
        : null;
    const { sql, params } =
      hours === null
        ? eventTimeBucketQuery(criteria, pivot, deltaSeconds)
        : eventRollupTimeBucketQuery(criteria, hours, pivot, deltaSeconds);
    const rows = (await this.dataSource.query(sql, params)) as { bucket: string; count: string }[];
    return rows.map((r) => ({ bucket: Number(r.bucket), count: Number(r.count) }));
  }

  /** Matching events per event name or resource id (timestamps as PostgreSQL text). */
  async countByValue(criteria: EventCriteria, countable: 'event' | 'resource'): Promise<EventValueCount[]> {
    const hours = countable === 'event' ? windowHours(criteria) : null;
    const { sql, params } =
      hours === null ? eventValueCountQuery(criteria, countable) : eventRollupNameCountQuery(criteria, hours);
    const rows = (await this.dataSource.query(sql, params)) as (Omit<EventValueCount, 'count'> & {
      count: string;
    })[];
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }
}

/** The whole hours of the window event_counts can answer for these criteria, if any. */
function windowHours(criteria: EventCriteria): RollupHours | null {
  return rollupHours(
    criteria,
    Instant.parse(criteria.since).epochMicros,
    Instant.parse(criteria.until).epochMicros,
  );
}
