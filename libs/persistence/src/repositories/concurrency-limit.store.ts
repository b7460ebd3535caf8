import { Instant } from '@orrery/domain';
import type { EntityManager } from 'typeorm';

/** A `concurrency_limit_v2` row, `activeSlots` and `deniedSlots` decayed to now. */
export interface ConcurrencyLimitV2Record {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly active: boolean;
  readonly name: string;
  readonly limit: number;
  readonly activeSlots: number;
  readonly deniedSlots: number;
  readonly slotDecayPerSecond: number;
  readonly avgSlotOccupancySeconds: number;
}

/** A legacy v1 `concurrency_limit` row (pre-migration data; new limits are v2 rows `tag:<tag>`). */
export interface LegacyConcurrencyLimitRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly tag: string;
  readonly concurrencyLimit: number;
  readonly activeSlots: string[];
}

export interface NewConcurrencyLimitV2 {
  readonly name: string;
  readonly limit: number;
  readonly active: boolean;
  readonly activeSlots: number;
  readonly deniedSlots: number;
  readonly slotDecayPerSecond: number;
}

/** The fields of a `PATCH /v2/concurrency_limits/{id_or_name}`; absent ones stay. */
export type ConcurrencyLimitV2Changes = Partial<NewConcurrencyLimitV2>;

/** Which v2 limit an endpoint addresses. */
export type ConcurrencyLimitLocator = { readonly id: string } | { readonly name: string };

/**
 * The denied-slot decay needs the Retry-After caps (spec-api §5): `tag:` limits decay one denied slot
 * per min(avg occupancy, tag wait) seconds, others per min(avg occupancy, maximum wait).
 */
export interface SlotWaitSettings {
  readonly tagWaitSeconds: number;
  readonly maximumWaitSeconds: number;
}

export const DEFAULT_SLOT_WAIT_SETTINGS: SlotWaitSettings = { tagWaitSeconds: 10, maximumWaitSeconds: 30 };

// Never negative: a row written by a transaction that began after ours would otherwise grow.
const ELAPSED = `greatest(0, extract(epoch FROM now() - updated))`;
const DECAYED_ACTIVE = `greatest(0, active_slots - floor(slot_decay_per_second * ${ELAPSED}))::int`;
/** `$W` / `$M`: placeholders for the tag and maximum waits, numbered per statement. */
function decayedDenied(tagWait: string, maxWait: string): string {
  const occupancy = `greatest(0.1, least(avg_slot_occupancy_seconds,
      CASE WHEN name LIKE 'tag:%' THEN ${tagWait}::float8 ELSE ${maxWait}::float8 END))`;
  const rate = `CASE WHEN slot_decay_per_second > 0 THEN slot_decay_per_second ELSE 1.0 / ${occupancy} END`;
  return `greatest(0, denied_slots - floor(${rate} * ${ELAPSED}))::int`;
}

const V2_COLUMNS = `id, created, updated, active, name, "limit", ${DECAYED_ACTIVE} AS active_slots,
  denied_slots, slot_decay_per_second, avg_slot_occupancy_seconds`;
const V1_COLUMNS = 'id, created, updated, tag, concurrency_limit, active_slots';

/*
 * Serving indexes: pk_concurrency_limit_v2 (by id, slot updates), uq_concurrency_limit_v2__name
 * (by name, bulk reads by names, the filter's ORDER BY name), uq_concurrency_limit__tag (v1).
 * Slot updates lock their rows first, in id order (no deadlocks between multi-limit requests), then
 * run one conditional UPDATE whose affected-row count decides: all limits or none.
 */
const SQL = {
  insert: `INSERT INTO concurrency_limit_v2 (name, "limit", active, active_slots, denied_slots, slot_decay_per_second)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${V2_COLUMNS}`,
  byId: `SELECT ${V2_COLUMNS} FROM concurrency_limit_v2 WHERE id = $1`,
  byName: `SELECT ${V2_COLUMNS} FROM concurrency_limit_v2 WHERE name = $1`,
  byNames: `SELECT ${V2_COLUMNS} FROM concurrency_limit_v2 WHERE name = ANY($1::text[]) ORDER BY name`,
  page: `SELECT ${V2_COLUMNS} FROM concurrency_limit_v2 ORDER BY name LIMIT $1 OFFSET $2`,
  deleteById: `WITH gone AS (DELETE FROM concurrency_limit_v2 WHERE id = $1 RETURNING *) SELECT ${V2_COLUMNS} FROM gone`,
  deleteByName: `WITH gone AS (DELETE FROM concurrency_limit_v2 WHERE name = $1 RETURNING *) SELECT ${V2_COLUMNS} FROM gone`,
  lock: `SELECT id FROM concurrency_limit_v2 WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
  increment: `WITH fits AS (
        SELECT count(*) AS n FROM concurrency_limit_v2
        WHERE id = ANY($1::uuid[]) AND active AND ${DECAYED_ACTIVE} + $2 <= "limit"),
      up AS (
        UPDATE concurrency_limit_v2
        SET active_slots = ${DECAYED_ACTIVE} + $2, denied_slots = ${decayedDenied('$4', '$5')}, updated = now()
        WHERE id = ANY($1::uuid[]) AND active AND (SELECT n FROM fits) = $3
        RETURNING id)
      SELECT count(*)::int AS n FROM up`,
  decrement: `WITH up AS (
        UPDATE concurrency_limit_v2
        SET active_slots = greatest(0, ${DECAYED_ACTIVE} - $2),
          denied_slots = ${decayedDenied('$4', '$5')},
          avg_slot_occupancy_seconds = CASE WHEN $3::float8 IS NULL OR "limit" <= 0 THEN avg_slot_occupancy_seconds
            ELSE avg_slot_occupancy_seconds + $3::float8 / ("limit" * 2) - avg_slot_occupancy_seconds / ("limit" * 2) END,
          updated = now()
        WHERE id = ANY($1::uuid[]) AND active
        RETURNING id)
      SELECT count(*)::int AS n FROM up`,
  deny: `UPDATE concurrency_limit_v2
      SET active_slots = ${DECAYED_ACTIVE}, denied_slots = ${decayedDenied('$3', '$4')} + $2, updated = now()
      WHERE id = ANY($1::uuid[]) AND active`,
  legacyByTags: `SELECT ${V1_COLUMNS} FROM concurrency_limit WHERE tag = ANY($1::text[]) ORDER BY tag`,
  legacyById: `SELECT ${V1_COLUMNS} FROM concurrency_limit WHERE id = $1`,
  legacyByTag: `SELECT ${V1_COLUMNS} FROM concurrency_limit WHERE tag = $1`,
  legacyPage: `SELECT ${V1_COLUMNS} FROM concurrency_limit ORDER BY tag LIMIT $1 OFFSET 0`,
  legacyWriteSlots: `UPDATE concurrency_limit SET active_slots = $2::jsonb, updated = now() WHERE tag = $1`,
  legacyDeleteById: `WITH gone AS (DELETE FROM concurrency_limit WHERE id = $1 RETURNING id) SELECT id FROM gone`,
  legacyDeleteByTag: `WITH gone AS (DELETE FROM concurrency_limit WHERE tag = $1 RETURNING id) SELECT id FROM gone`,
} as const;

interface V2Row {
  id: string;
  created: string | Date;
  updated: string | Date;
  active: boolean;
  name: string;
  limit: number;
  active_slots: number;
  denied_slots: number;
  slot_decay_per_second: number;
  avg_slot_occupancy_seconds: number;
}

interface V1Row {
  id: string;
  created: string | Date;
  updated: string | Date;
  tag: string;
  concurrency_limit: number;
  active_slots: unknown;
}

function instant(value: string | Date): Instant {
  return value instanceof Date ? Instant.fromDate(value) : Instant.parse(value);
}

function toV2(row: V2Row): ConcurrencyLimitV2Record {
  return {
    id: row.id,
    created: instant(row.created),
    updated: instant(row.updated),
    active: row.active,
    name: row.name,
    limit: Number(row.limit),
    activeSlots: Number(row.active_slots),
    deniedSlots: Number(row.denied_slots),
    slotDecayPerSecond: Number(row.slot_decay_per_second),
    avgSlotOccupancySeconds: Number(row.avg_slot_occupancy_seconds),
  };
}

function toV1(row: V1Row): LegacyConcurrencyLimitRecord {
  return {
    id: row.id,
    created: instant(row.created),
    updated: instant(row.updated),
    tag: row.tag,
    concurrencyLimit: Number(row.concurrency_limit),
    activeSlots: Array.isArray(row.active_slots) ? row.active_slots.map(String) : [],
  };
}

const UPDATABLE: Record<keyof ConcurrencyLimitV2Changes, string> = {
  name: 'name',
  limit: '"limit"',
  active: 'active',
  activeSlots: 'active_slots',
  deniedSlots: 'denied_slots',
  slotDecayPerSecond: 'slot_decay_per_second',
};

/**
 * Concurrency limits (v2 rows and legacy v1 rows) and their slot arithmetic (spec-api §5), bound to
 * one EntityManager: the orchestration transaction's, or an API request's own transaction.
 */
export class ConcurrencyLimitStore {
  constructor(
    private readonly manager: EntityManager,
    private readonly waits: SlotWaitSettings = DEFAULT_SLOT_WAIT_SETTINGS,
  ) {}

  private async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.manager.query(sql, params)) as T[];
  }

  /** A taken name fails with the unique violation (the API's 409). */
  async create(limit: NewConcurrencyLimitV2): Promise<ConcurrencyLimitV2Record> {
    const [row] = await this.rows<V2Row>(SQL.insert, [
      limit.name,
      limit.limit,
      limit.active,
      limit.activeSlots,
      limit.deniedSlots,
      limit.slotDecayPerSecond,
    ]);
    if (row === undefined) throw new Error('the concurrency limit insert returned no row');
    return toV2(row);
  }

  async read(locator: ConcurrencyLimitLocator): Promise<ConcurrencyLimitV2Record | null> {
    const [row] = await this.rows<V2Row>('id' in locator ? SQL.byId : SQL.byName, [
      'id' in locator ? locator.id : locator.name,
    ]);
    return row === undefined ? null : toV2(row);
  }

  async readByNames(names: readonly string[]): Promise<ConcurrencyLimitV2Record[]> {
    if (names.length === 0) return [];
    return (await this.rows<V2Row>(SQL.byNames, [[...new Set(names)]])).map(toV2);
  }

  async page(limit: number, offset: number): Promise<ConcurrencyLimitV2Record[]> {
    return (await this.rows<V2Row>(SQL.page, [limit, offset])).map(toV2);
  }

  /** The updated row, or null when there is no such limit (or the new name is taken: see caller). */
  async update(
    locator: ConcurrencyLimitLocator,
    changes: ConcurrencyLimitV2Changes,
  ): Promise<ConcurrencyLimitV2Record | null> {
    const params: unknown[] = ['id' in locator ? locator.id : locator.name];
    const set: string[] = [];
    for (const [key, column] of Object.entries(UPDATABLE) as [keyof ConcurrencyLimitV2Changes, string][]) {
      const value = changes[key];
      if (value === undefined) continue;
      params.push(value);
      set.push(`${column} = $${params.length}`);
    }
    set.push('updated = now()');
    const where = 'id' in locator ? 'id = $1' : 'name = $1';
    const sql = `WITH up AS (UPDATE concurrency_limit_v2 SET ${set.join(', ')} WHERE ${where} RETURNING *)
      SELECT ${V2_COLUMNS} FROM up`;
    const [row] = await this.rows<V2Row>(sql, params);
    return row === undefined ? null : toV2(row);
  }

  async delete(locator: ConcurrencyLimitLocator): Promise<ConcurrencyLimitV2Record | null> {
    const [row] = await this.rows<V2Row>('id' in locator ? SQL.deleteById : SQL.deleteByName, [
      'id' in locator ? locator.id : locator.name,
    ]);
    return row === undefined ? null : toV2(row);
  }

  private async lock(ids: string[]): Promise<void> {
    await this.manager.query(SQL.lock, [ids]);
  }

  /**
   * Takes `slots` on every limit, or on none: true when all were active and had room (after decay).
   * The rows stay locked until the caller's transaction ends.
   */
  async incrementActiveSlots(limitIds: readonly string[], slots: number): Promise<boolean> {
    const ids = [...new Set(limitIds)];
    if (ids.length === 0) return true;
    await this.lock(ids);
    const [row] = await this.rows<{ n: number }>(SQL.increment, [
      ids,
      slots,
      ids.length,
      this.waits.tagWaitSeconds,
      this.waits.maximumWaitSeconds,
    ]);
    return Number(row?.n ?? 0) === ids.length;
  }

  /**
   * Gives `slots` back on every active limit (never below 0); with `occupancySeconds` (how long the
   * slots were held) the limit's average occupancy moves. False when a limit is missing or inactive.
   */
  async decrementActiveSlots(
    limitIds: readonly string[],
    slots: number,
    occupancySeconds: number | null = null,
  ): Promise<boolean> {
    const ids = [...new Set(limitIds)];
    if (ids.length === 0) return true;
    await this.lock(ids);
    const perSlot =
      occupancySeconds !== null && occupancySeconds > 0 && slots > 0
        ? Math.max(occupancySeconds / slots, 0.1)
        : null;
    const [row] = await this.rows<{ n: number }>(SQL.decrement, [
      ids,
      slots,
      perSlot,
      this.waits.tagWaitSeconds,
      this.waits.maximumWaitSeconds,
    ]);
    return Number(row?.n ?? 0) === ids.length;
  }

  /** Counts a denied request of `slots` on every active limit (it feeds the Retry-After of the next). */
  async recordDeniedSlots(limitIds: readonly string[], slots: number): Promise<void> {
    const ids = [...new Set(limitIds)];
    if (ids.length === 0) return;
    await this.lock(ids);
    await this.manager.query(SQL.deny, [
      ids,
      slots,
      this.waits.tagWaitSeconds,
      this.waits.maximumWaitSeconds,
    ]);
  }

  async readLegacyByTags(tags: readonly string[]): Promise<LegacyConcurrencyLimitRecord[]> {
    if (tags.length === 0) return [];
    return (await this.rows<V1Row>(SQL.legacyByTags, [[...new Set(tags)]])).map(toV1);
  }

  async readLegacy(locator: { id: string } | { tag: string }): Promise<LegacyConcurrencyLimitRecord | null> {
    const [row] = await this.rows<V1Row>('id' in locator ? SQL.legacyById : SQL.legacyByTag, [
      'id' in locator ? locator.id : locator.tag,
    ]);
    return row === undefined ? null : toV1(row);
  }

  /** The first `limit` legacy rows by tag. */
  async legacyPage(limit: number): Promise<LegacyConcurrencyLimitRecord[]> {
    return (await this.rows<V1Row>(SQL.legacyPage, [limit])).map(toV1);
  }

  async writeLegacyActiveSlots(tag: string, activeSlots: readonly string[]): Promise<void> {
    await this.manager.query(SQL.legacyWriteSlots, [tag, JSON.stringify(activeSlots)]);
  }

  async deleteLegacy(locator: { id: string } | { tag: string }): Promise<boolean> {
    const rows = await this.rows<{ id: string }>(
      'id' in locator ? SQL.legacyDeleteById : SQL.legacyDeleteByTag,
      ['id' in locator ? locator.id : locator.tag],
    );
    return rows.length > 0;
  }
}
