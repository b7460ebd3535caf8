import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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

/** The wire protocol counts bind parameters in an Int16: one statement binds at most 65 535. */
const MAX_BIND_PARAMETERS = 65_535;
/** id, occurred, event, resource_id, resource, related_resource_ids, related, payload, received, follows. */
const EVENT_PARAMETERS = 10;
/** occurred, resource_id, resource_role, resource, event_id. */
const RESOURCE_PARAMETERS = 5;
export const EVENT_INSERT_CHUNK = Math.floor(MAX_BIND_PARAMETERS / EVENT_PARAMETERS);
export const EVENT_RESOURCE_INSERT_CHUNK = Math.floor(MAX_BIND_PARAMETERS / RESOURCE_PARAMETERS);

/*
 * The event-persister's write (spec-services-events-ha §2.1): served by pk_events (ON CONFLICT) and
 * the plain inserts into event_resources (ix_event_resources__* are maintained, not read, here).
 * `recorded` is the database's clock at the write.
 */
function insertEventsStatement(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const b = r * EVENT_PARAMETERS;
    tuples.push(
      `($${b + 1}::uuid, $${b + 2}::timestamptz, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}::jsonb, ` +
        `$${b + 7}::jsonb, $${b + 8}::jsonb, $${b + 9}::timestamptz, now(), $${b + 10}::uuid)`,
    );
  }
  return (
    'INSERT INTO events (id, occurred, event, resource_id, resource, related_resource_ids, related, payload, received, recorded, follows) ' +
    `VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id`
  );
}

function insertResourcesStatement(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const b = r * RESOURCE_PARAMETERS;
    tuples.push(`($${b + 1}::timestamptz, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $${b + 5}::uuid)`);
  }
  return `INSERT INTO event_resources (occurred, resource_id, resource_role, resource, event_id) VALUES ${tuples.join(', ')}`;
}

/** PostgreSQL rejects NUL in text and jsonb; strip it rather than lose the event (as for logs). */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.split('\u0000').join('') : text;
}

function json(value: unknown): string {
  // A replacer makes stringify several times slower; NUL is rare, and always shows as `\u0000`.
  const text = JSON.stringify(value);
  if (!text.includes('\\u0000')) return text;
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
   * Writes a batch in one transaction: `INSERT … ON CONFLICT (id) DO NOTHING RETURNING id` in chunks
   * under the bind-parameter limit, then `event_resources` rows (the primary resource with role ''
   * and one per related resource) only for the ids that were new, so a redelivered or re-sent event
   * is stored exactly once. Resolves after the commit to the ids newly written.
   */
  async insertMany(events: readonly EventWrite[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    if (events.length === 0) return inserted;
    // One id twice in one statement would make ON CONFLICT touch a row twice: keep the first.
    const seen = new Set<string>();
    const batch = events.filter((e) => !seen.has(e.id) && seen.add(e.id));
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < batch.length; start += EVENT_INSERT_CHUNK) {
        const chunk = batch.slice(start, start + EVENT_INSERT_CHUNK);
        const params: unknown[] = [];
        for (const e of chunk) {
          params.push(
            e.id,
            e.occurred,
            withoutNul(e.event),
            withoutNul(e.resource[RESOURCE_ID] ?? ''),
            json(e.resource),
            json(e.related.map((r) => r[RESOURCE_ID])),
            json(e.related),
            json(e.payload),
            e.received,
            e.follows,
          );
        }
        const rows = (await manager.query(insertEventsStatement(chunk.length), params)) as { id: string }[];
        for (const row of rows) inserted.add(row.id);
      }
      await this.insertResources(
        manager,
        batch.filter((e) => inserted.has(e.id)),
      );
    });
    return inserted;
  }

  private async insertResources(manager: EntityManager, events: readonly EventWrite[]): Promise<void> {
    const rows: unknown[][] = [];
    for (const e of events) {
      rows.push([
        e.occurred,
        withoutNul(e.resource[RESOURCE_ID] ?? ''),
        '',
        json(otherLabels(e.resource)),
        e.id,
      ]);
      for (const r of e.related) {
        rows.push([
          e.occurred,
          withoutNul(r[RESOURCE_ID] ?? ''),
          withoutNul(r[RESOURCE_ROLE] ?? ''),
          json(otherLabels(r)),
          e.id,
        ]);
      }
    }
    for (let start = 0; start < rows.length; start += EVENT_RESOURCE_INSERT_CHUNK) {
      const chunk = rows.slice(start, start + EVENT_RESOURCE_INSERT_CHUNK);
      await manager.query(insertResourcesStatement(chunk.length), chunk.flat());
    }
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
