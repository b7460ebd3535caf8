/**
 * A validated EventFilter (spec-services-events-ha §3.3), as the read side of the events tables
 * takes it. `since`/`until` are always concrete (the API fills Prefect's defaults), so a page token
 * replays exactly the same window.
 */
export interface EventCriteria {
  readonly since: string;
  readonly until: string;
  readonly event: EventNameCriteria | null;
  readonly resource: EventResourceCriteria | null;
  /** Each entry must match (AND), as upstream treats a list. */
  readonly related: readonly EventRelatedCriteria[];
  readonly anyResource: readonly EventAnyResourceCriteria[];
  readonly ids: readonly string[] | null;
  readonly text: string | null;
  readonly order: 'ASC' | 'DESC';
}

export interface EventNameCriteria {
  readonly prefix: readonly string[] | null;
  readonly excludePrefix: readonly string[] | null;
  readonly name: readonly string[] | null;
  readonly excludeName: readonly string[] | null;
}

/** Label → expected value(s): `*` at the end is a prefix, a leading `!` negates (Prefect's LabelOperations). */
export type LabelCriteria = Readonly<Record<string, string | readonly string[]>>;

export interface EventResourceCriteria {
  readonly id: readonly string[] | null;
  readonly idPrefix: readonly string[] | null;
  readonly labels: LabelCriteria | null;
  readonly distinct: boolean;
}

export interface EventRelatedCriteria {
  readonly id: readonly string[] | null;
  readonly role: readonly string[] | null;
  readonly resourcesInRoles: readonly (readonly [string, string])[] | null;
  readonly labels: LabelCriteria | null;
}

export interface EventAnyResourceCriteria {
  readonly id: readonly string[] | null;
  readonly idPrefix: readonly string[] | null;
  readonly labels: LabelCriteria | null;
}

/** A stored event as the read API returns it (timestamps in PostgreSQL's text, converted by the caller). */
export interface EventRecord {
  readonly id: string;
  readonly occurred: string;
  readonly event: string;
  readonly resource: Record<string, string>;
  readonly related: Record<string, string>[];
  readonly payload: Record<string, unknown>;
  readonly received: string;
  readonly follows: string | null;
}
