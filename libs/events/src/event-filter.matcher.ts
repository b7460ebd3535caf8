import type {
  EventAnyResourceCriteria,
  EventCriteria,
  EventRelatedCriteria,
  LabelCriteria,
} from '@orrery/persistence';
import { type ReceivedEvent, type Resource, RESOURCE_ID_LABEL, RESOURCE_ROLE_LABEL } from './event.model';

/** One label against its expected values, with the SQL's rules (event-filter.sql.ts): `x*` prefix, `!` negation. */
function labelMatches(actual: string | undefined, expected: string | readonly string[]): boolean {
  const values = typeof expected === 'string' ? [expected] : expected;
  let anyPositive = false;
  let positiveHit = false;
  for (const raw of values) {
    const negated = raw.startsWith('!');
    const value = negated ? raw.slice(1) : raw;
    const prefix = value.endsWith('*');
    const text = prefix ? value.slice(0, -1) : value;
    // Like SQL, a missing label satisfies neither a value nor its negation.
    const hit = actual !== undefined && (prefix ? actual.startsWith(text) : actual === text);
    if (negated) {
      if (actual === undefined || hit) return false;
    } else {
      anyPositive = true;
      if (hit) positiveHit = true;
    }
  }
  return !anyPositive || positiveHit;
}

/** Prefect tests these lists for truthiness: an empty list (or label map) constrains nothing. */
function given<T>(list: readonly T[] | null): list is readonly T[] {
  return list !== null && list.length > 0;
}

function labelsMatch(resource: Resource, labels: LabelCriteria | null): boolean {
  if (labels === null) return true;
  return Object.entries(labels).every(([label, expected]) => labelMatches(resource[label], expected));
}

function idMatches(id: string, ids: readonly string[] | null, prefixes: readonly string[] | null): boolean {
  return (!given(ids) || ids.includes(id)) && (!given(prefixes) || prefixes.some((p) => id.startsWith(p)));
}

function relatedMatches(event: ReceivedEvent, r: EventRelatedCriteria): boolean {
  return event.related.some((resource) => {
    const id = resource[RESOURCE_ID_LABEL] ?? '';
    const role = resource[RESOURCE_ROLE_LABEL] ?? '';
    return (
      role !== '' &&
      (!given(r.id) || r.id.includes(id)) &&
      (!given(r.role) || r.role.includes(role)) &&
      (!given(r.resourcesInRoles) || r.resourcesInRoles.some(([i, ro]) => i === id && ro === role)) &&
      labelsMatch(resource, r.labels)
    );
  });
}

function anyResourceMatches(event: ReceivedEvent, r: EventAnyResourceCriteria): boolean {
  return [event.resource, ...event.related].some(
    (resource) =>
      idMatches(resource[RESOURCE_ID_LABEL] ?? '', r.id, r.idPrefix) && labelsMatch(resource, r.labels),
  );
}

function textMatches(event: ReceivedEvent, query: string): boolean {
  const document = [
    event.event,
    JSON.stringify(event.resource),
    JSON.stringify(event.related),
    JSON.stringify(event.payload),
  ]
    .join(' ')
    .toLowerCase();
  for (const match of query.matchAll(/([-!+]?)(?:"([^"]*)"|(\S+))/g)) {
    const term = (match[2] ?? match[3] ?? '').toLowerCase();
    if (term === '') continue;
    const excluded = match[1] === '-' || match[1] === '!';
    if (document.includes(term) === excluded) return false;
  }
  return true;
}

/**
 * Whether a live event matches a filter, with the semantics of the SQL behind `/events/filter`
 * (the Distributor applies it to `/events/out` subscribers). `openEnded` ignores `until`: a live
 * subscription whose client gave no `until` keeps receiving events after it subscribed.
 * `resource.distinct` has no meaning for a single event and is ignored.
 */
export function eventMatches(c: EventCriteria, event: ReceivedEvent, openEnded = false): boolean {
  if (event.occurred < c.since || (!openEnded && event.occurred > c.until)) return false;
  if (c.event !== null) {
    const name = event.event;
    const e = c.event;
    if (given(e.prefix) && !e.prefix.some((p) => name.startsWith(p))) return false;
    if (given(e.excludePrefix) && e.excludePrefix.some((p) => name.startsWith(p))) return false;
    if (given(e.name) && !e.name.includes(name)) return false;
    if (given(e.excludeName) && e.excludeName.includes(name)) return false;
  }
  if (c.resource !== null) {
    const r = c.resource;
    if (!idMatches(event.resource[RESOURCE_ID_LABEL] ?? '', r.id, r.idPrefix)) return false;
    if (!labelsMatch(event.resource, r.labels)) return false;
  }
  if (!c.related.every((r) => relatedMatches(event, r))) return false;
  if (!c.anyResource.every((r) => anyResourceMatches(event, r))) return false;
  if (given(c.ids) && !c.ids.includes(event.id)) return false;
  if (c.text !== null && !textMatches(event, c.text)) return false;
  return true;
}
