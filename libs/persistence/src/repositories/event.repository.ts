import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';
import type { EventCriteria, EventRecord } from './event.criteria';
import {
  eventCountQuery,
  eventPageQuery,
  eventTimeBucketQuery,
  eventValueCountQuery,
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

const RESOURCE_ID = 'prefect.resource.id';
const RESOURCE_ROLE = 'prefect.resource.role';

/*
 * The event-persister's write (spec-services-events-ha §2.1) as ONE statement, whatever the batch
 * size: the rows travel as 15 arrays (UNNEST, so no bind-parameter limit and one plan shape), the
 * events insert skips ids already stored (pk_events, ON CONFLICT DO NOTHING) and the resource rows
 * are joined to the ids it returned, so a redelivered event adds no resource row either. One
 * statement is its own transaction: one round trip instead of BEGIN, two inserts and COMMIT.
 * `recorded` is the database's clock at the write.
 */
const INSERT_EVENTS = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[],
                       $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::uuid[])
    AS t(id, occurred, event, resource_id, resource, related_resource_ids, related, payload, received, follows)
), inserted AS (
  INSERT INTO events (id, occurred, event, resource_id, resource, related_resource_ids, related, payload,
                      received, recorded, follows)
  SELECT id, occurred, event, resource_id, resource, related_resource_ids, related, payload, received, now(), follows
    FROM input
  ON CONFLICT (id) DO NOTHING
  RETURNING id
), resources AS (
  INSERT INTO event_resources (occurred, resource_id, resource_role, resource, event_id)
  SELECT r.occurred, r.resource_id, r.resource_role, r.resource, r.event_id
    FROM unnest($11::timestamptz[], $12::text[], $13::text[], $14::jsonb[], $15::uuid[])
           AS r(occurred, resource_id, resource_role, resource, event_id)
    JOIN inserted ON inserted.id = r.event_id
)
SELECT id FROM inserted`;

/** PostgreSQL rejects NUL in text and jsonb; strip it rather than lose the event (as for logs). */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.split('\u0000').join('') : text;
}

function json(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v));
}

/** The labels of a resource other than its id and role (what `event_resources.resource` holds). */
function otherLabels(resource: Readonly<Record<string, string>>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key !== RESOURCE_ID && key !== RESOURCE_ROLE) labels[key] = value;
  }
  return labels;
}

@Injectable()
export class EventRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Writes a batch in one statement (INSERT_EVENTS, atomic): the events not stored yet, and their
   * `event_resources` rows (the primary resource with role '' and one per related resource) only
   * for the ids that were new, so a redelivered or re-sent event is stored exactly once. Resolves
   * after the commit to the ids newly written.
   */
  async insertMany(events: readonly EventWrite[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    if (events.length === 0) return inserted;
    // One id twice in one statement would make ON CONFLICT touch a row twice: keep the first.
    const seen = new Set<string>();
    const batch = events.filter((e) => !seen.has(e.id) && seen.add(e.id));
    const columns: unknown[][] = Array.from({ length: 15 }, () => []);
    const [id, occurred, event, resourceId, resource, relatedIds, related, payload, received, follows] =
      columns;
    const [rOccurred, rResourceId, rRole, rResource, rEventId] = columns.slice(10);
    for (const e of batch) {
      id!.push(e.id);
      occurred!.push(e.occurred);
      event!.push(withoutNul(e.event));
      resourceId!.push(withoutNul(e.resource[RESOURCE_ID] ?? ''));
      resource!.push(json(e.resource));
      relatedIds!.push(json(e.related.map((r) => r[RESOURCE_ID])));
      related!.push(json(e.related));
      payload!.push(json(e.payload));
      received!.push(e.received);
      follows!.push(e.follows);
      for (const [labels, role] of [
        [e.resource, ''] as const,
        ...e.related.map((r) => [r, withoutNul(r[RESOURCE_ROLE] ?? '')] as const),
      ]) {
        rOccurred!.push(e.occurred);
        rResourceId!.push(withoutNul(labels[RESOURCE_ID] ?? ''));
        rRole!.push(role);
        rResource!.push(json(otherLabels(labels)));
        rEventId!.push(e.id);
      }
    }
    const rows = (await this.dataSource.query(INSERT_EVENTS, columns)) as { id: string }[];
    for (const row of rows) inserted.add(row.id);
    return inserted;
  }

  /** `/events/filter`: one page of the matching events (event-filter.sql.ts). */
  async page(criteria: EventCriteria, limit: number, offset: number): Promise<EventRecord[]> {
    const { sql, params } = eventPageQuery(criteria, limit, offset);
    return (await this.dataSource.query(sql, params)) as EventRecord[];
  }

  /** How many events match (the page's `total`). */
  async count(criteria: EventCriteria): Promise<number> {
    const { sql, params } = eventCountQuery(criteria);
    const rows = (await this.dataSource.query(sql, params)) as { count: string }[];
    return Number(rows[0]?.count ?? 0);
  }

  /** Matching events per time bucket (`floor((occurred − pivot) / delta)`), non-empty buckets only. */
  async countByTimeBucket(
    criteria: EventCriteria,
    pivot: string,
    deltaSeconds: number,
  ): Promise<{ bucket: number; count: number }[]> {
    const { sql, params } = eventTimeBucketQuery(criteria, pivot, deltaSeconds);
    const rows = (await this.dataSource.query(sql, params)) as { bucket: string; count: string }[];
    return rows.map((r) => ({ bucket: Number(r.bucket), count: Number(r.count) }));
  }

  /** Matching events per event name or resource id (timestamps as PostgreSQL text). */
  async countByValue(criteria: EventCriteria, countable: 'event' | 'resource'): Promise<EventValueCount[]> {
    const { sql, params } = eventValueCountQuery(criteria, countable);
    const rows = (await this.dataSource.query(sql, params)) as (Omit<EventValueCount, 'count'> & {
      count: string;
    })[];
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }
}
