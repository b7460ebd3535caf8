import { Instant, laxInstantOrNull, laxUuid } from '@orrery/domain';
import type {
  EventAnyResourceCriteria,
  EventCriteria,
  EventNameCriteria,
  EventRelatedCriteria,
  EventResourceCriteria,
  LabelCriteria,
} from '@orrery/persistence';
import type { ValidationIssue } from '@orrery/domain';
import type { JsonSchema } from '../openapi/validator-schema';
import { namedSchema } from '../openapi/wire-schema';

type Loc = ReadonlyArray<string | number>;
type Json = Record<string, unknown>;

/** The largest page of `/events/filter` (and its default). */
export const EVENT_PAGE_MAX = 50;
/** Text queries longer than this are refused, as upstream's `EventTextFilter.query`. */
const TEXT_QUERY_MAX = 200;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Prefect's default window start: the start of today (UTC) minus 180 days. */
export function defaultSince(now: Instant): Instant {
  const day = Math.floor(now.epochMillis / 86_400_000) * 86_400_000;
  return Instant.fromEpochMillis(day).minusSeconds(180 * 86_400);
}

/**
 * Parses an EventFilter body (`additionalProperties: false` at every level, as in the contract)
 * into EventCriteria with a concrete window, collecting pydantic-shaped issues. `wire` is the same
 * filter with the window filled in: what a page token carries, so every page replays one window.
 */
export class EventFilterParser {
  readonly issues: ValidationIssue[] = [];

  constructor(private readonly now: Instant = Instant.now()) {}

  parse(input: unknown, loc: Loc): { criteria: EventCriteria; wire: Json } | null {
    if (input === undefined || input === null) input = {};
    if (!isObject(input)) {
      this.issue('model_type', loc, 'Input should be a valid dictionary or object', input);
      return null;
    }
    const before = this.issues.length;
    this.noExtra(input, loc, [
      'occurred',
      'event',
      'resource',
      'related',
      'any_resource',
      'id',
      'text',
      'order',
    ]);
    const occurred = this.occurred(input.occurred, [...loc, 'occurred']);
    const event = this.optionalObject(input.event, [...loc, 'event'], (o, l) => this.eventName(o, l));
    const resource = this.optionalObject(input.resource, [...loc, 'resource'], (o, l) => this.resource(o, l));
    const related = this.oneOrMany(input.related, [...loc, 'related'], (o, l) => this.related(o, l));
    const anyResource = this.oneOrMany(input.any_resource, [...loc, 'any_resource'], (o, l) =>
      this.anyResource(o, l),
    );
    const ids = this.optionalObject(input.id, [...loc, 'id'], (o, l) => {
      this.noExtra(o, l, ['id']);
      return this.stringList(o.id, [...l, 'id'], true);
    });
    const text = this.optionalObject(input.text, [...loc, 'text'], (o, l) => {
      this.noExtra(o, l, ['query']);
      if (typeof o.query !== 'string') {
        this.issue(
          o.query === undefined ? 'missing' : 'string_type',
          [...l, 'query'],
          o.query === undefined ? 'Field required' : 'Input should be a valid string',
          o.query,
        );
        return null;
      }
      if (o.query.length > TEXT_QUERY_MAX) {
        this.issue(
          'string_too_long',
          [...l, 'query'],
          `String should have at most ${TEXT_QUERY_MAX} characters`,
          o.query,
        );
      }
      return o.query;
    });
    let order: 'ASC' | 'DESC' = 'DESC';
    if (input.order !== undefined) {
      if (input.order === 'ASC' || input.order === 'DESC') order = input.order;
      else this.issue('enum', [...loc, 'order'], "Input should be 'ASC' or 'DESC'", input.order);
    }
    if (this.issues.length > before || occurred === null) return null;
    const criteria: EventCriteria = {
      since: occurred.since,
      until: occurred.until,
      event: event ?? null,
      resource: resource ?? null,
      related: related ?? [],
      anyResource: anyResource ?? [],
      ids: ids ?? null,
      text: text ?? null,
      order,
    };
    return { criteria, wire: { ...input, occurred: { since: occurred.since, until: occurred.until } } };
  }

  private issue(type: string, loc: Loc, msg: string, input: unknown): void {
    this.issues.push({ type, loc, msg, input });
  }

  private noExtra(o: Json, loc: Loc, allowed: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key))
        this.issue('extra_forbidden', [...loc, key], 'Extra inputs are not permitted', o[key]);
    }
  }

  private optionalObject<T>(
    value: unknown,
    loc: Loc,
    read: (o: Json, loc: Loc) => T | null,
  ): T | null | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) {
      this.issue('model_type', loc, 'Input should be a valid dictionary or object', value);
      return null;
    }
    return read(value, loc);
  }

  private oneOrMany<T>(value: unknown, loc: Loc, read: (o: Json, loc: Loc) => T | null): T[] | undefined {
    if (value === undefined || value === null) return undefined;
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    const out: T[] = [];
    items.forEach((item, i) => {
      const itemLoc = Array.isArray(value) ? [...loc, i] : loc;
      if (!isObject(item)) {
        this.issue('model_type', itemLoc, 'Input should be a valid dictionary or object', item);
        return;
      }
      const parsed = read(item, itemLoc);
      if (parsed !== null) out.push(parsed);
    });
    return out;
  }

  private occurred(value: unknown, loc: Loc): { since: string; until: string } | null {
    const o = value === undefined || value === null ? {} : value;
    if (!isObject(o)) {
      this.issue('model_type', loc, 'Input should be a valid dictionary or object', value);
      return null;
    }
    this.noExtra(o, loc, ['since', 'until']);
    const instant = (v: unknown, l: Loc, fallback: Instant): string | null => {
      if (v === undefined) return fallback.toISOString();
      const parsed = laxInstantOrNull(v);
      if (parsed === null) {
        this.issue('datetime_from_date_parsing', l, 'Input should be a valid datetime', v);
        return null;
      }
      return parsed.toISOString();
    };
    const since = instant(o.since, [...loc, 'since'], defaultSince(this.now));
    const until = instant(o.until, [...loc, 'until'], this.now);
    return since === null || until === null ? null : { since, until };
  }

  /** `list[str] | None`; `uuid` reads every item as a UUID in any form pydantic takes (canonical out). */
  private stringList(value: unknown, loc: Loc, uuid = false): string[] | null {
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) {
      this.issue('list_type', loc, 'Input should be a valid list', value);
      return null;
    }
    const out: string[] = [];
    (value as unknown[]).forEach((item, i) => {
      if (uuid) {
        const parsed = laxUuid(item);
        if (parsed.ok) out.push(parsed.value);
        else this.issue(parsed.type, [...loc, i], parsed.msg, item);
      } else if (typeof item === 'string') out.push(item);
      else this.issue('string_type', [...loc, i], 'Input should be a valid string', item);
    });
    return out;
  }

  private labels(value: unknown, loc: Loc): LabelCriteria | null {
    if (value === undefined || value === null) return null;
    if (!isObject(value)) {
      this.issue('dict_type', loc, 'Input should be a valid dictionary', value);
      return null;
    }
    const out: Record<string, string | string[]> = {};
    for (const [label, expected] of Object.entries(value)) {
      if (typeof expected === 'string') out[label] = expected;
      else if (Array.isArray(expected) && expected.every((v) => typeof v === 'string'))
        out[label] = expected as string[];
      else
        this.issue(
          'string_type',
          [...loc, label],
          'Input should be a valid string or a list of strings',
          expected,
        );
    }
    return out;
  }

  private eventName(o: Json, loc: Loc): EventNameCriteria {
    this.noExtra(o, loc, ['prefix', 'exclude_prefix', 'name', 'exclude_name']);
    return {
      prefix: this.stringList(o.prefix, [...loc, 'prefix']),
      excludePrefix: this.stringList(o.exclude_prefix, [...loc, 'exclude_prefix']),
      name: this.stringList(o.name, [...loc, 'name']),
      excludeName: this.stringList(o.exclude_name, [...loc, 'exclude_name']),
    };
  }

  private resource(o: Json, loc: Loc): EventResourceCriteria {
    this.noExtra(o, loc, ['id', 'id_prefix', 'labels', 'distinct']);
    let distinct = false;
    if (o.distinct !== undefined) {
      if (typeof o.distinct === 'boolean') distinct = o.distinct;
      else this.issue('bool_type', [...loc, 'distinct'], 'Input should be a valid boolean', o.distinct);
    }
    return {
      id: this.stringList(o.id, [...loc, 'id']),
      idPrefix: this.stringList(o.id_prefix, [...loc, 'id_prefix']),
      labels: this.labels(o.labels, [...loc, 'labels']),
      distinct,
    };
  }

  private related(o: Json, loc: Loc): EventRelatedCriteria {
    this.noExtra(o, loc, ['id', 'role', 'resources_in_roles', 'labels']);
    let pairs: [string, string][] | null = null;
    if (o.resources_in_roles !== undefined && o.resources_in_roles !== null) {
      if (!Array.isArray(o.resources_in_roles)) {
        this.issue(
          'list_type',
          [...loc, 'resources_in_roles'],
          'Input should be a valid list',
          o.resources_in_roles,
        );
      } else {
        pairs = [];
        (o.resources_in_roles as unknown[]).forEach((pair, i) => {
          if (
            Array.isArray(pair) &&
            pair.length === 2 &&
            typeof pair[0] === 'string' &&
            typeof pair[1] === 'string'
          ) {
            pairs?.push([pair[0], pair[1]]);
          } else {
            this.issue(
              'tuple_type',
              [...loc, 'resources_in_roles', i],
              'Input should be a valid tuple of two strings',
              pair,
            );
          }
        });
      }
    }
    return {
      id: this.stringList(o.id, [...loc, 'id']),
      role: this.stringList(o.role, [...loc, 'role']),
      resourcesInRoles: pairs,
      labels: this.labels(o.labels, [...loc, 'labels']),
    };
  }

  private anyResource(o: Json, loc: Loc): EventAnyResourceCriteria {
    this.noExtra(o, loc, ['id', 'id_prefix', 'labels']);
    return {
      id: this.stringList(o.id, [...loc, 'id']),
      idPrefix: this.stringList(o.id_prefix, [...loc, 'id_prefix']),
      labels: this.labels(o.labels, [...loc, 'labels']),
    };
  }
}

const STRINGS: JsonSchema = { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] };
/** Resource labels to match: a value or a list of values per label (`*` wildcards, `!` negation). */
const LABELS: JsonSchema = {
  anyOf: [
    {
      type: 'object',
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
    { type: 'null' },
  ],
};
const oneOrMany = (item: JsonSchema): JsonSchema => ({
  anyOf: [item, { type: 'array', items: item }, { type: 'null' }],
});
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const strict = (properties: Record<string, JsonSchema>, required?: string[]): JsonSchema => ({
  type: 'object',
  properties,
  ...(required === undefined ? {} : { required }),
  additionalProperties: false,
});

/** `EventFilter` as EventFilterParser reads it: no unknown key at any level, the window defaulted. */
export const EVENT_FILTER_SCHEMA = namedSchema(
  'EventFilter',
  strict({
    occurred: nullable(
      strict({
        since: {
          type: 'string',
          format: 'date-time',
          description: 'default: the start of today (UTC) minus 180 days',
        },
        until: { type: 'string', format: 'date-time', description: 'default: now' },
      }),
    ),
    event: nullable(
      strict({ prefix: STRINGS, exclude_prefix: STRINGS, name: STRINGS, exclude_name: STRINGS }),
    ),
    resource: nullable(
      strict({
        id: STRINGS,
        id_prefix: STRINGS,
        labels: LABELS,
        distinct: { type: 'boolean', default: false },
      }),
    ),
    related: oneOrMany(
      strict({
        id: STRINGS,
        role: STRINGS,
        resources_in_roles: {
          anyOf: [
            {
              type: 'array',
              items: {
                type: 'array',
                prefixItems: [{ type: 'string' }, { type: 'string' }],
                minItems: 2,
                maxItems: 2,
              },
            },
            { type: 'null' },
          ],
        },
        labels: LABELS,
      }),
    ),
    any_resource: oneOrMany(strict({ id: STRINGS, id_prefix: STRINGS, labels: LABELS })),
    id: nullable(
      strict({
        id: { anyOf: [{ type: 'array', items: { type: 'string', format: 'uuid' } }, { type: 'null' }] },
      }),
    ),
    text: nullable(strict({ query: { type: 'string', maxLength: TEXT_QUERY_MAX } }, ['query'])),
    order: { enum: ['ASC', 'DESC'], default: 'DESC' },
  }),
);
