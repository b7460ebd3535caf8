import { arrayLiteral, escapeLike } from '../filters/sql-clause';
import { SqlParameters } from '../filters/sql-parameters';
import { CUSTOM_PLAN } from '../prepared-statements';
import type {
  EventAnyResourceCriteria,
  EventCriteria,
  EventRelatedCriteria,
  LabelCriteria,
} from './event.criteria';

/*
 * The SQL of `/events/filter` (spec-services-events-ha §3.3), in one place. Every statement bounds
 * `occurred`, so the plans start from a range on:
 *   events: ix_events__occurred_id (window + order), ix_events__event_occurred (name filters),
 *           ix_events__resource_id_occurred (resource ids), pk_events (ids);
 *   event_resources (related / any_resource subqueries, same window): ix_event_resources__resource_id__occurred
 *           when ids are given, else ix_event_resources__occurred.
 */

const RESOURCE_ID = 'prefect.resource.id';
const RESOURCE_ROLE = 'prefect.resource.role';

/** Prefect tests these lists for truthiness: an empty list (or label map) constrains nothing. */
function given<T>(list: readonly T[] | null): list is readonly T[] {
  return list !== null && list.length > 0;
}

function givenLabels(labels: LabelCriteria | null): labels is LabelCriteria {
  return labels !== null && Object.keys(labels).length > 0;
}

export const EVENT_COLUMNS =
  'events.id, events.occurred, events.event, events.resource, events.related, events.payload, events.received, events.follows';

/** One label's expected values: plain or `prefix*`, each possibly negated with `!`. */
function labelCondition(p: SqlParameters, expr: string, expected: string | readonly string[]): string {
  const values = typeof expected === 'string' ? [expected] : expected;
  const positive: string[] = [];
  const positivePrefixes: string[] = [];
  const negative: string[] = [];
  const negativePrefixes: string[] = [];
  for (const raw of values) {
    const negated = raw.startsWith('!');
    const value = negated ? raw.slice(1) : raw;
    const prefix = value.endsWith('*');
    const text = prefix ? value.slice(0, -1) : value;
    if (negated) (prefix ? negativePrefixes : negative).push(text);
    else (prefix ? positivePrefixes : positive).push(text);
  }
  const all: string[] = [];
  // A list means "any of" (spec §3.1): the positive forms are OR'ed, the negations all apply.
  const any: string[] = [];
  if (positive.length > 0) any.push(`${expr} = ANY(${p.add(arrayLiteral(positive), 'text[]')})`);
  for (const prefix of positivePrefixes) any.push(`${expr} LIKE ${p.add(`${escapeLike(prefix)}%`)}`);
  if (any.length > 0) all.push(any.length === 1 ? any[0]! : `(${any.join(' OR ')})`);
  if (negative.length > 0) all.push(`${expr} <> ALL(${p.add(arrayLiteral(negative), 'text[]')})`);
  for (const prefix of negativePrefixes) all.push(`${expr} NOT LIKE ${p.add(`${escapeLike(prefix)}%`)}`);
  return all.length === 0 ? 'TRUE' : all.join(' AND ');
}

/** Label conditions on an event's own resource (the `events.resource` document). */
function eventLabels(p: SqlParameters, labels: LabelCriteria): string[] {
  return Object.entries(labels).map(([label, expected]) =>
    labelCondition(
      p,
      label === RESOURCE_ID ? 'events.resource_id' : `(events.resource ->> ${p.add(label)})`,
      expected,
    ),
  );
}

/** Label conditions on an `event_resources` row: id and role are columns, the rest in `resource`. */
function resourceRowLabels(p: SqlParameters, labels: LabelCriteria): string[] {
  return Object.entries(labels).map(([label, expected]) => {
    const expr =
      label === RESOURCE_ID
        ? 'er.resource_id'
        : label === RESOURCE_ROLE
          ? 'er.resource_role'
          : `(er.resource ->> ${p.add(label)})`;
    return labelCondition(p, expr, expected);
  });
}

function prefixes(p: SqlParameters, column: string, values: readonly string[]): string {
  if (values.length === 0) return 'FALSE';
  return `(${values.map((v) => `${column} LIKE ${p.add(`${escapeLike(v)}%`)}`).join(' OR ')})`;
}

function resourceRows(p: SqlParameters, c: EventCriteria, conditions: string[]): string {
  const window = `er.occurred >= ${p.add(c.since, 'timestamptz')} AND er.occurred <= ${p.add(c.until, 'timestamptz')}`;
  return `events.id IN (SELECT er.event_id FROM event_resources er WHERE ${[window, ...conditions].join(' AND ')})`;
}

function related(p: SqlParameters, c: EventCriteria, r: EventRelatedCriteria): string {
  const conditions = [`er.resource_role <> ''`];
  if (given(r.id)) conditions.push(`er.resource_id = ANY(${p.add(arrayLiteral(r.id), 'text[]')})`);
  if (given(r.role)) conditions.push(`er.resource_role = ANY(${p.add(arrayLiteral(r.role), 'text[]')})`);
  if (given(r.resourcesInRoles)) {
    conditions.push(
      r.resourcesInRoles.length === 0
        ? 'FALSE'
        : `(${r.resourcesInRoles.map(([id, role]) => `(er.resource_id = ${p.add(id)} AND er.resource_role = ${p.add(role)})`).join(' OR ')})`,
    );
  }
  if (givenLabels(r.labels)) conditions.push(...resourceRowLabels(p, r.labels));
  return resourceRows(p, c, conditions);
}

function anyResource(p: SqlParameters, c: EventCriteria, r: EventAnyResourceCriteria): string {
  const conditions: string[] = [];
  if (given(r.id)) conditions.push(`er.resource_id = ANY(${p.add(arrayLiteral(r.id), 'text[]')})`);
  if (given(r.idPrefix)) conditions.push(prefixes(p, 'er.resource_id', r.idPrefix));
  if (givenLabels(r.labels)) conditions.push(...resourceRowLabels(p, r.labels));
  return resourceRows(p, c, conditions);
}

/** Whitespace-separated terms, "quoted phrases", `+term` (required, the default), `-term` / `!term` exclusions, case-insensitive. */
function textSearch(p: SqlParameters, query: string): string[] {
  const document = `(events.event || ' ' || events.resource::text || ' ' || events.related::text || ' ' || events.payload::text)`;
  const conditions: string[] = [];
  for (const match of query.matchAll(/([-!+]?)(?:"([^"]*)"|(\S+))/g)) {
    const term = match[2] ?? match[3] ?? '';
    if (term === '') continue;
    const op = match[1] === '-' || match[1] === '!' ? 'NOT ILIKE' : 'ILIKE';
    conditions.push(`${document} ${op} ${p.add(`%${escapeLike(term)}%`)}`);
  }
  return conditions;
}

/** The event-name part of a filter, on `events.event` (also the rollup's column, aliased `events`). */
function eventNameConditions(c: EventCriteria, p: SqlParameters): string[] {
  const where: string[] = [];
  if (c.event !== null) {
    const e = c.event;
    if (given(e.prefix)) where.push(prefixes(p, 'events.event', e.prefix));
    if (given(e.excludePrefix)) {
      for (const v of e.excludePrefix) where.push(`events.event NOT LIKE ${p.add(`${escapeLike(v)}%`)}`);
    }
    if (given(e.name)) where.push(`events.event = ANY(${p.add(arrayLiteral(e.name), 'text[]')})`);
    if (given(e.excludeName))
      where.push(`events.event <> ALL(${p.add(arrayLiteral(e.excludeName), 'text[]')})`);
  }
  return where;
}

/** The WHERE of a filter over `events` (no leading keyword). */
export function compileEventWhere(c: EventCriteria, p: SqlParameters): string {
  const where = [
    `events.occurred >= ${p.add(c.since, 'timestamptz')}`,
    `events.occurred <= ${p.add(c.until, 'timestamptz')}`,
  ];
  where.push(...eventNameConditions(c, p));
  if (c.resource !== null) {
    const r = c.resource;
    if (given(r.id)) where.push(`events.resource_id = ANY(${p.add(arrayLiteral(r.id), 'text[]')})`);
    if (given(r.idPrefix)) where.push(prefixes(p, 'events.resource_id', r.idPrefix));
    if (givenLabels(r.labels)) where.push(...eventLabels(p, r.labels));
  }
  for (const r of c.related) where.push(related(p, c, r));
  for (const r of c.anyResource) where.push(anyResource(p, c, r));
  if (given(c.ids)) where.push(`events.id = ANY(${p.add(arrayLiteral(c.ids), 'uuid[]')})`);
  if (c.text !== null) where.push(...textSearch(p, c.text));
  return where.join(' AND ');
}

/** `FROM …` of the filter: the events table, or the latest event per resource when `distinct`. */
function source(c: EventCriteria, where: string): string {
  if (c.resource?.distinct !== true) return `events WHERE ${where}`;
  return (
    `(SELECT DISTINCT ON (events.resource_id) events.* FROM events WHERE ${where} ` +
    'ORDER BY events.resource_id, events.occurred DESC, events.id DESC) events'
  );
}

/** One page, ordered by `occurred` (then id, for a stable order across pages). */
export function eventPageQuery(
  c: EventCriteria,
  limit: number,
  offset: number,
): { sql: string; params: unknown[] } {
  const p = new SqlParameters();
  const where = compileEventWhere(c, p);
  const direction = c.order === 'ASC' ? 'ASC' : 'DESC';
  const sql =
    `${CUSTOM_PLAN}SELECT ${EVENT_COLUMNS} FROM ${source(c, where)} ` +
    `ORDER BY events.occurred ${direction}, events.id ${direction} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`;
  return { sql, params: p.values };
}

export function eventCountQuery(c: EventCriteria): { sql: string; params: unknown[] } {
  const p = new SqlParameters();
  const where = compileEventWhere(c, p);
  return { sql: `${CUSTOM_PLAN}SELECT count(*) AS count FROM ${source(c, where)}`, params: p.values };
}

/**
 * eventCountQuery from the rollup, for a filter of a window and event names only (rollupHours): the
 * whole hours summed from event_counts (pk_event_counts range), the partial hours at the ends
 * counted in events (ix_events__occurred_id). The UI's events page asks for a week of events with
 * their total: 2.2 M events to count at a million runs, a few hundred rollup rows here.
 */
export function eventRollupCountQuery(
  c: EventCriteria,
  hours: RollupHours,
): { sql: string; params: unknown[] } {
  const p = new SqlParameters();
  const sql =
    `${CUSTOM_PLAN}SELECT (SELECT coalesce(sum(events.count), 0) FROM event_counts events WHERE ${rollupRange(c, p, hours)})` +
    ` + (SELECT count(*) FROM events WHERE ${rawEdges(c, p, hours)}) AS count`;
  return { sql, params: p.values };
}

/**
 * `/events/count-by/time|day`: matching events per bucket, a bucket being `deltaSeconds` wide and
 * counted from `pivot` (index = floor((occurred − pivot) / delta)). Empty buckets are filled by the caller.
 */
export function eventTimeBucketQuery(
  c: EventCriteria,
  pivot: string,
  deltaSeconds: number,
): { sql: string; params: unknown[] } {
  const p = new SqlParameters();
  const where = compileEventWhere(c, p);
  const bucket = `floor(extract(epoch FROM (events.occurred - ${p.add(pivot, 'timestamptz')})) / ${p.add(deltaSeconds, 'float8')})::bigint`;
  return {
    sql: `${CUSTOM_PLAN}SELECT ${bucket} AS bucket, count(*) AS count FROM events WHERE ${where} GROUP BY 1 ORDER BY 1`,
    params: p.values,
  };
}

/**
 * `/events/count-by/event|resource`: one row per event name or resource id, labelled with the label
 * of its latest event (a resource's name may change), most frequent first (upstream's ordering).
 */
export function eventValueCountQuery(
  c: EventCriteria,
  countable: 'event' | 'resource',
): { sql: string; params: unknown[] } {
  const p = new SqlParameters();
  const where = compileEventWhere(c, p);
  const value = countable === 'event' ? 'events.event' : 'events.resource_id';
  const label =
    countable === 'event'
      ? 'events.event'
      : `coalesce(events.resource ->> 'prefect.resource.name', events.resource ->> 'prefect.name', events.resource_id)`;
  const sql =
    `${CUSTOM_PLAN}WITH fundamental AS (SELECT ${value} AS value, ${label} AS label, max(events.occurred) AS latest, ` +
    `min(events.occurred) AS oldest, count(*) AS count FROM events WHERE ${where} GROUP BY 1, 2), ` +
    'labelled AS (SELECT value, first_value(label) OVER (PARTITION BY value ORDER BY latest DESC) AS label, ' +
    'latest, oldest, count FROM fundamental) ' +
    'SELECT value, label, sum(count)::bigint AS count, min(oldest) AS start_time, max(latest) AS end_time ' +
    'FROM labelled GROUP BY value, label ORDER BY count DESC, label ASC';
  return { sql, params: p.values };
}

/** The whole hours [from, to) of a window that event_counts answers (ISO timestamps). */
export interface RollupHours {
  readonly from: string;
  readonly to: string;
}

/**
 * The whole hours of a count-by window that `event_counts` (migration 1795301200000) can answer:
 * [from, to) with from = since rounded up and to = until rounded down to an hour (hours counted
 * from the epoch, as date_bin from 2024-04-01 does). Null when the filter constrains anything but
 * the window and the event name (the rollup keeps no resources, ids or text), or when the window
 * holds no whole hour.
 */
export function rollupHours(c: EventCriteria, sinceMicros: number, untilMicros: number): RollupHours | null {
  const narrowed =
    c.resource !== null ||
    c.related.length > 0 ||
    c.anyResource.length > 0 ||
    c.ids !== null ||
    c.text !== null;
  if (narrowed) return null;
  const hour = 3_600_000_000;
  const from = Math.ceil(sinceMicros / hour) * hour;
  const to = Math.floor(untilMicros / hour) * hour;
  if (to <= from) return null;
  return { from: new Date(from / 1000).toISOString(), to: new Date(to / 1000).toISOString() };
}

/** The raw rows of the window outside the rollup's whole hours: [since, from) and [to, until]. */
function rawEdges(c: EventCriteria, p: SqlParameters, hours: RollupHours): string {
  return [
    `((events.occurred >= ${p.add(c.since, 'timestamptz')} AND events.occurred < ${p.add(hours.from, 'timestamptz')})`,
    ` OR (events.occurred >= ${p.add(hours.to, 'timestamptz')} AND events.occurred <= ${p.add(c.until, 'timestamptz')}))`,
    ...eventNameConditions(c, p).map((w) => ` AND ${w}`),
  ].join('');
}

function rollupRange(c: EventCriteria, p: SqlParameters, hours: RollupHours): string {
  return [
    `events.bucket >= ${p.add(hours.from, 'timestamptz')} AND events.bucket < ${p.add(hours.to, 'timestamptz')}`,
    ...eventNameConditions(c, p),
  ].join(' AND ');
}

/**
 * eventTimeBucketQuery's counts from the rollup: whole hours summed from event_counts
 * (pk_event_counts range), the partial hours at the ends counted in events
 * (ix_events__occurred_id). Only for bucket widths that are whole hours (each hour then lies in
 * one bucket).
 */
export function eventRollupTimeBucketQuery(
  c: EventCriteria,
  hours: RollupHours,
  pivot: string,
  deltaSeconds: number,
): { sql: string; params: unknown[] } {
  const p = new SqlParameters();
  const pivotParam = p.add(pivot, 'timestamptz');
  const deltaParam = p.add(deltaSeconds, 'float8');
  const bucket = (column: string): string =>
    `floor(extract(epoch FROM (${column} - ${pivotParam})) / ${deltaParam})::bigint`;
  const sql =
    `${CUSTOM_PLAN}SELECT bucket, sum(n)::bigint AS count FROM (` +
    `SELECT ${bucket('events.bucket')} AS bucket, events.count AS n FROM event_counts events WHERE ${rollupRange(c, p, hours)} ` +
    `UNION ALL SELECT ${bucket('events.occurred')}, 1 FROM events WHERE ${rawEdges(c, p, hours)}` +
    ') counted GROUP BY 1 ORDER BY 1';
  return { sql, params: p.values };
}

/** eventValueCountQuery for `event` from the rollup (the label of an event name is the name). */
export function eventRollupNameCountQuery(
  c: EventCriteria,
  hours: RollupHours,
): { sql: string; params: unknown[] } {
  const p = new SqlParameters();
  const sql =
    `${CUSTOM_PLAN}SELECT value, value AS label, sum(n)::bigint AS count, min(oldest) AS start_time, ` +
    'max(latest) AS end_time FROM (' +
    `SELECT events.event AS value, events.count AS n, events.oldest, events.latest FROM event_counts events WHERE ${rollupRange(c, p, hours)} ` +
    `UNION ALL SELECT events.event, 1, events.occurred, events.occurred FROM events WHERE ${rawEdges(c, p, hours)}` +
    ') counted GROUP BY value ORDER BY count DESC, label ASC';
  return { sql, params: p.values };
}
