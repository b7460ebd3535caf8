import { Inject, Injectable } from '@nestjs/common';
import type { Firing } from '@orrery/automations';
import { DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/** One `automation_bucket` row as the triggers service sees it (times in epoch ms). */
export interface BucketRow {
  readonly key: string[];
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly lastEvent: Record<string, unknown> | null;
}

/** Identifies a bucket: automation, trigger and bucketing key (the unique index). */
export interface BucketId {
  readonly automationId: string;
  readonly triggerId: string;
  readonly key: readonly string[];
}

interface Row {
  bucketing_key: string[];
  start_ms: number;
  end_ms: number;
  count: number;
  last_event: Record<string, unknown> | null;
}

const RETURNING = `bucketing_key, extract(epoch FROM start) * 1000 AS start_ms,
  extract(epoch FROM "end") * 1000 AS end_ms, count, last_event`;

/*
 * Buckets and composite child firings of the triggers service (spec-services-events-ha §5.3, §5.5).
 * Serving indexes: uq_automation_bucket__automation_id__trigger_id__bucketing_key (ensure, read,
 * write, delete — the upsert's row lock serialises replicas on one bucket),
 * ix_automation_bucket__automation_id__end (proactive pages are by trigger; the sweep by end),
 * uq_composite_trigger_child_firing__a_id__pt_id__ct__id (child firings of a parent),
 * pk_automation_event_evaluated (markEvaluated's conflict check),
 * ix_automation_event_evaluated__expires (sweepEvaluated).
 */
const SQL = {
  ensure: `INSERT INTO automation_bucket (automation_id, trigger_id, bucketing_key, start, "end", count, last_event, last_operation)
      VALUES ($1, $2, $3::jsonb, to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0), $6, $7::jsonb, 'ensure_bucket[insert]')
      ON CONFLICT (automation_id, trigger_id, bucketing_key) DO UPDATE
        SET last_event = COALESCE(EXCLUDED.last_event, automation_bucket.last_event)
      RETURNING ${RETURNING}`,
  read: `SELECT ${RETURNING} FROM automation_bucket
      WHERE automation_id = $1 AND trigger_id = $2 AND bucketing_key = $3::jsonb FOR UPDATE`,
  write: `INSERT INTO automation_bucket (automation_id, trigger_id, bucketing_key, start, "end", count, last_event, last_operation)
      VALUES ($1, $2, $3::jsonb, to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0), $6, $7::jsonb, $8)
      ON CONFLICT (automation_id, trigger_id, bucketing_key) DO UPDATE SET start = EXCLUDED.start, "end" = EXCLUDED."end",
        count = EXCLUDED.count, last_event = EXCLUDED.last_event, last_operation = EXCLUDED.last_operation,
        triggered_at = CASE WHEN $9 THEN now() ELSE automation_bucket.triggered_at END, updated = now()`,
  remove: `DELETE FROM automation_bucket WHERE automation_id = $1 AND trigger_id = $2 AND bucketing_key = $3::jsonb`,
  removeExceeding: `DELETE FROM automation_bucket WHERE automation_id = $1 AND trigger_id = $2 AND count >= $3`,
  page: `SELECT ${RETURNING} FROM automation_bucket WHERE automation_id = $1 AND trigger_id = $2
      ORDER BY start, id LIMIT $3 OFFSET $4 FOR UPDATE`,
  sweep: `DELETE FROM automation_bucket WHERE "end" <= to_timestamp($1 / 1000.0)`,
  markEvaluated: `INSERT INTO automation_event_evaluated (event_id, trigger_id, automation_id, expires)
      VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond') ON CONFLICT DO NOTHING RETURNING event_id`,
  sweepEvaluated: `DELETE FROM automation_event_evaluated WHERE expires <= now()`,
  ofAutomation: `SELECT trigger_id, ${RETURNING} FROM automation_bucket WHERE automation_id = $1 ORDER BY start`,
  // An advisory lock per composite parent: the int64 of the uuid's first 16 hex digits.
  lockParent: `SELECT pg_advisory_xact_lock(('x' || substr(replace($1::text, '-', ''), 1, 16))::bit(64)::bigint)`,
  clearOldChildren: `DELETE FROM composite_trigger_child_firing
      WHERE automation_id = $1 AND parent_trigger_id = $2 AND child_fired_at < to_timestamp($3 / 1000.0)`,
  upsertChild: `INSERT INTO composite_trigger_child_firing
        (automation_id, parent_trigger_id, child_trigger_id, child_firing_id, child_fired_at, child_firing)
      VALUES ($1, $2, $3, $4, $5::timestamptz, $6::jsonb)
      ON CONFLICT (automation_id, parent_trigger_id, child_trigger_id) DO UPDATE SET
        child_firing_id = EXCLUDED.child_firing_id, child_fired_at = EXCLUDED.child_fired_at,
        child_firing = EXCLUDED.child_firing, updated = now()`,
  children: `SELECT child_firing FROM composite_trigger_child_firing
      WHERE automation_id = $1 AND parent_trigger_id = $2 ORDER BY child_fired_at`,
  clearChildren: `WITH gone AS (DELETE FROM composite_trigger_child_firing
      WHERE automation_id = $1 AND parent_trigger_id = $2 AND child_firing_id = ANY($3::uuid[])
      RETURNING child_firing_id) SELECT child_firing_id FROM gone`,
} as const;

function toBucket(row: Row): BucketRow {
  return {
    key: row.bucketing_key,
    start: Math.round(Number(row.start_ms)),
    end: Math.round(Number(row.end_ms)),
    count: row.count,
    lastEvent: row.last_event,
  };
}

const idParams = (b: BucketId): unknown[] => [b.automationId, b.triggerId, JSON.stringify(b.key)];

/** Bucket and child-firing statements; all run on the caller's transaction. */
@Injectable()
export class AutomationBucketRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Creates the bucket if missing (else keeps its window and count, refreshing `last_event`) and locks it. */
  async ensure(
    manager: EntityManager,
    id: BucketId,
    window: { start: number; end: number; count: number; lastEvent: unknown },
  ): Promise<BucketRow> {
    const [row] = (await manager.query(SQL.ensure, [
      ...idParams(id),
      window.start,
      window.end,
      window.count,
      window.lastEvent === null ? null : JSON.stringify(window.lastEvent),
    ])) as Row[];
    return toBucket(row!);
  }

  /** The bucket, locked, or null. */
  async read(manager: EntityManager, id: BucketId): Promise<BucketRow | null> {
    const [row] = (await manager.query(SQL.read, idParams(id))) as Row[];
    return row === undefined ? null : toBucket(row);
  }

  /** Stores the bucket's new state (`fired` stamps `triggered_at`), or deletes it when `state` is null. */
  async write(
    manager: EntityManager,
    id: BucketId,
    state: Omit<BucketRow, 'key'> | null,
    operation: string,
    fired: boolean,
  ): Promise<void> {
    if (state === null) {
      await manager.query(SQL.remove, idParams(id));
      return;
    }
    await manager.query(SQL.write, [
      ...idParams(id),
      state.start,
      state.end,
      state.count,
      state.lastEvent === null ? null : JSON.stringify(state.lastEvent),
      operation,
      fired,
    ]);
  }

  /** Proactive step 3: buckets that already saw `threshold` events can never fire. */
  async removeExceeding(
    manager: EntityManager,
    automationId: string,
    triggerId: string,
    threshold: number,
  ): Promise<void> {
    await manager.query(SQL.removeExceeding, [automationId, triggerId, threshold]);
  }

  /** One page of a trigger's buckets by start, locked. */
  async page(
    manager: EntityManager,
    automationId: string,
    triggerId: string,
    limit: number,
    offset: number,
  ): Promise<BucketRow[]> {
    return ((await manager.query(SQL.page, [automationId, triggerId, limit, offset])) as Row[]).map(toBucket);
  }

  /** Housekeeping: deletes buckets whose window closed before `beforeMs`. */
  async sweep(beforeMs: number): Promise<number> {
    const result = (await this.dataSource.query(SQL.sweep, [beforeMs])) as unknown;
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }

  /**
   * Records in the caller's transaction that it evaluates `eventId` against the trigger, kept for
   * `keepMs`; false when that is already recorded (committed — a concurrent transaction recording
   * it is waited for). The evaluation runs only when this is true, so an event evaluated again (its
   * evaluator died after committing, before acknowledging it) is counted once.
   */
  async markEvaluated(
    manager: EntityManager,
    automationId: string,
    triggerId: string,
    eventId: string,
    keepMs: number,
  ): Promise<boolean> {
    const rows = (await manager.query(SQL.markEvaluated, [
      eventId,
      triggerId,
      automationId,
      keepMs,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** Housekeeping: forgets evaluated events whose record expired. */
  async sweepEvaluated(): Promise<number> {
    const result = (await this.dataSource.query(SQL.sweepEvaluated)) as unknown;
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }

  /** Every bucket of an automation (explain / diagnostics). */
  async ofAutomation(automationId: string): Promise<(BucketRow & { triggerId: string })[]> {
    const rows = (await this.dataSource.query(SQL.ofAutomation, [automationId])) as (Row & {
      trigger_id: string;
    })[];
    return rows.map((r) => ({ ...toBucket(r), triggerId: r.trigger_id }));
  }

  /** §5.5 step 2: serialises every replica evaluating this composite parent until commit. */
  async lockParent(manager: EntityManager, parentTriggerId: string): Promise<void> {
    await manager.query(SQL.lockParent, [parentTriggerId]);
  }

  async clearOldChildFirings(
    manager: EntityManager,
    automationId: string,
    parentTriggerId: string,
    beforeMs: number,
  ): Promise<void> {
    await manager.query(SQL.clearOldChildren, [automationId, parentTriggerId, beforeMs]);
  }

  async upsertChildFiring(
    manager: EntityManager,
    automationId: string,
    parentTriggerId: string,
    firing: Firing,
  ): Promise<void> {
    await manager.query(SQL.upsertChild, [
      automationId,
      parentTriggerId,
      firing.trigger.id,
      firing.id,
      firing.triggered,
      JSON.stringify(firing),
    ]);
  }

  async childFirings(
    manager: EntityManager,
    automationId: string,
    parentTriggerId: string,
  ): Promise<Firing[]> {
    const rows = (await manager.query(SQL.children, [automationId, parentTriggerId])) as {
      child_firing: Firing;
    }[];
    return rows.map((r) => r.child_firing);
  }

  /** Claim-by-delete: the ids actually deleted by this transaction. */
  async clearChildFirings(
    manager: EntityManager,
    automationId: string,
    parentTriggerId: string,
    firingIds: readonly string[],
  ): Promise<string[]> {
    const rows = (await manager.query(SQL.clearChildren, [automationId, parentTriggerId, firingIds])) as {
      child_firing_id: string;
    }[];
    return rows.map((r) => r.child_firing_id);
  }
}
