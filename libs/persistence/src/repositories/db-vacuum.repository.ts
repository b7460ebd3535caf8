import { Inject, Injectable } from '@nestjs/common';
import type { Instant } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/*
 * The deletes behind the db-vacuum service (spec-services-events-ha §2.2). Each call deletes at most
 * one batch in its own transaction and returns how many rows went, so the caller loops until 0 and
 * no transaction ever holds many locks. Serving indexes are named beside each statement.
 */
const TERMINAL = `('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED')`;

/**
 * Deletes the events `ids` selects and takes them off `event_counts` (the count-by rollup,
 * migration 1795301200000) in the same statement: an hour and name whose events are all gone loses
 * its row, others are decremented (two CTEs on disjoint rows). Returns `deleted`.
 */
function countedEventDelete(ids: string): string {
  return `WITH gone AS (
      DELETE FROM events WHERE id IN (${ids}) RETURNING occurred, event
    ), per_hour AS (
      SELECT date_bin('1 hour', occurred, '2024-04-01T00:00:00Z') AS bucket, event, count(*) AS n
        FROM gone GROUP BY 1, 2
    ), emptied AS (
      DELETE FROM event_counts c USING per_hour g
       WHERE c.bucket = g.bucket AND c.event = g.event AND c.count <= g.n
    ), decremented AS (
      UPDATE event_counts c SET count = c.count - g.n FROM per_hour g
       WHERE c.bucket = g.bucket AND c.event = g.event AND c.count > g.n
    )
    SELECT count(*)::int AS deleted FROM gone`;
}

/** Retention cut-offs fall on an hour, so the rollup only ever loses whole hours of events. */
function hourFloor(before: Instant): string {
  const hour = 3_600_000_000;
  return new Date((Math.floor(before.epochMicros / hour) * hour) / 1000).toISOString();
}

const SQL = {
  // ix_log__flow_run_id / ix_artifact__flow_run_id (see orphanWindow); deletes by the same index
  orphanedLogs: `DELETE FROM log WHERE id IN (
      SELECT id FROM log WHERE flow_run_id = ANY($1::uuid[]) LIMIT $2)`,
  orphanedArtifacts: `DELETE FROM artifact WHERE id IN (
      SELECT id FROM artifact WHERE flow_run_id = ANY($1::uuid[]) LIMIT $2)`,
  // ix_flow_run__end_time_desc; cascades to states, task runs and their states
  oldFlowRuns: `DELETE FROM flow_run WHERE id IN (
      SELECT id FROM flow_run
      WHERE parent_task_run_id IS NULL AND state_type IN ${TERMINAL} AND end_time IS NOT NULL AND end_time < $1
      LIMIT $2)`,
  // ix_event_resources__occurred
  oldEventResources: `DELETE FROM event_resources WHERE id IN (
      SELECT id FROM event_resources WHERE occurred < $1 LIMIT $2)`,
  // ix_events__occurred_id; event_counts decremented (pk_event_counts)
  oldEvents: countedEventDelete(`SELECT id FROM events WHERE occurred < $1 LIMIT $2`),
  // ix_events__event_occurred, then ix_event_resources__event_id
  eventResourcesOfType: `DELETE FROM event_resources WHERE id IN (
      SELECT r.id FROM events e JOIN event_resources r ON r.event_id = e.id
      WHERE e.event = $1 AND e.occurred < $2
      LIMIT $3)`,
  // ix_events__event_occurred; event_counts decremented (pk_event_counts)
  eventsOfType: countedEventDelete(`SELECT id FROM events WHERE event = $1 AND occurred < $2 LIMIT $3`),
  // ix_automation_action__updated: the actions' idempotency ledger, final (or abandoned) long ago
  oldAutomationActions: `DELETE FROM automation_action WHERE id IN (
      SELECT id FROM automation_action WHERE updated < $1 LIMIT $2)`,
  // uq_artifact_collection__key; pk_artifact for the staleness probe
  staleCollections: `SELECT c.id, c.key FROM artifact_collection c
      WHERE NOT EXISTS (SELECT 1 FROM artifact a WHERE a.id = c.latest_id)
      LIMIT $1
      FOR UPDATE OF c SKIP LOCKED`,
  // ix_artifact__key_created_desc
  repointCollection: `UPDATE artifact_collection c SET
        latest_id = a.id, data = a.data, description = a.description, type = a.type, created = a.created,
        updated = a.updated, flow_run_id = a.flow_run_id, task_run_id = a.task_run_id, metadata_ = a.metadata_
      FROM (SELECT * FROM artifact WHERE key = $2 ORDER BY created DESC LIMIT 1) a
      WHERE c.id = $1`,
  deleteCollection: `DELETE FROM artifact_collection WHERE id = $1`,
} as const;

/**
 * One window of the orphan check over `table`'s flow_run_id index: the next `$2` index entries after
 * the cursor `$1` (an index-only range scan of ix_<table>__flow_run_id, keyset on flow_run_id), the
 * distinct run ids among them probed in pk_flow_run. Returns the window's orphaned run ids and its
 * last run id (the next cursor). Reading the whole table in one anti-join (the former shape) took
 * seconds at a million logs and starved the API of I/O for the length of the statement; a window is
 * bounded (a few thousand index entries, milliseconds) however large the table grows.
 */
function orphanWindow(table: 'log' | 'artifact', first: boolean): string {
  return `WITH w AS MATERIALIZED (
        SELECT flow_run_id FROM ${table}
        WHERE flow_run_id IS NOT NULL${first ? '' : ' AND flow_run_id > $2'}
        ORDER BY flow_run_id LIMIT $1),
      d AS (SELECT DISTINCT flow_run_id FROM w),
      c AS (SELECT d.flow_run_id,
                   NOT EXISTS (SELECT 1 FROM flow_run f WHERE f.id = d.flow_run_id) AS orphan,
                   d.flow_run_id = (SELECT flow_run_id FROM w ORDER BY flow_run_id DESC LIMIT 1) AS last
              FROM d)
    SELECT flow_run_id AS id, orphan, last FROM c WHERE orphan OR last`;
}

const ORPHAN_WINDOW = {
  log: { first: orphanWindow('log', true), next: orphanWindow('log', false) },
  artifact: { first: orphanWindow('artifact', true), next: orphanWindow('artifact', false) },
} as const;

/** One window of an orphan scan: orphaned flow run ids found, and where the next window starts. */
export interface OrphanWindow {
  readonly orphanedRunIds: string[];
  /** The last flow_run_id of the window, or null when the scan has reached the end of the index. */
  readonly next: string | null;
}

/** Row counts of one batch. */
export interface CollectionBatch {
  readonly repointed: number;
  readonly deleted: number;
}

@Injectable()
export class DbVacuumRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * The next window of `scanSize` index entries of log.flow_run_id (or artifact.flow_run_id) after
   * `after` (null: from the start): which of their flow runs no longer exist. Callers walk the index
   * window by window and delete each window's orphans with deleteLogsOfRuns / deleteArtifactsOfRuns.
   */
  async findOrphanedRuns(
    table: 'log' | 'artifact',
    after: string | null,
    scanSize: number,
  ): Promise<OrphanWindow> {
    const rows = (await (after === null
      ? this.dataSource.query(ORPHAN_WINDOW[table].first, [scanSize])
      : this.dataSource.query(ORPHAN_WINDOW[table].next, [scanSize, after]))) as {
      id: string;
      orphan: boolean;
      last: boolean;
    }[];
    const last = rows.find((r) => r.last);
    return {
      orphanedRunIds: rows.filter((r) => r.orphan).map((r) => r.id),
      // A window shorter than scanSize may still have a last row; the caller stops on an empty one.
      next: last === undefined ? null : last.id,
    };
  }

  /** At most `batchSize` logs of the given flow runs. */
  deleteLogsOfRuns(flowRunIds: readonly string[], batchSize: number): Promise<number> {
    return this.deleteBatch(SQL.orphanedLogs, [flowRunIds, batchSize]);
  }

  /** At most `batchSize` artifacts of the given flow runs. */
  deleteArtifactsOfRuns(flowRunIds: readonly string[], batchSize: number): Promise<number> {
    return this.deleteBatch(SQL.orphanedArtifacts, [flowRunIds, batchSize]);
  }

  /** Top-level flow runs in a terminal state that ended before `before`. */
  deleteOldFlowRuns(before: Instant, batchSize: number): Promise<number> {
    return this.deleteBatch(SQL.oldFlowRuns, [before.toISOString(), batchSize]);
  }

  /** Events that occurred before `before` (rounded down to the hour), resources first (there is no FK cascade). */
  async deleteOldEvents(before: Instant, batchSize: number): Promise<{ resources: number; events: number }> {
    const cutoff = hourFloor(before);
    const resources = await this.deleteBatch(SQL.oldEventResources, [cutoff, batchSize]);
    const events = resources > 0 ? 0 : await this.deleteCounted(SQL.oldEvents, [cutoff, batchSize]);
    return { resources, events };
  }

  /** Rows of the actions' idempotency ledger (`automation_action`) last written before `before`. */
  deleteOldAutomationActions(before: Instant, batchSize: number): Promise<number> {
    return this.deleteBatch(SQL.oldAutomationActions, [before.toISOString(), batchSize]);
  }

  /** Events named `event` that occurred before `before`, resources first. */
  async deleteEventsOfType(
    event: string,
    before: Instant,
    batchSize: number,
  ): Promise<{ resources: number; events: number }> {
    const cutoff = hourFloor(before);
    const resources = await this.deleteBatch(SQL.eventResourcesOfType, [event, cutoff, batchSize]);
    const events = resources > 0 ? 0 : await this.deleteCounted(SQL.eventsOfType, [event, cutoff, batchSize]);
    return { resources, events };
  }

  /**
   * Artifact collections whose latest artifact is gone: re-pointed to the newest artifact left with
   * the same key, or deleted when there is none.
   */
  reconcileStaleCollections(batchSize: number): Promise<CollectionBatch> {
    return this.dataSource.transaction(async (manager) => {
      const stale = (await manager.query(SQL.staleCollections, [batchSize])) as { id: string; key: string }[];
      let repointed = 0;
      let deleted = 0;
      for (const { id, key } of stale) {
        const [, updatedRows] = (await manager.query(SQL.repointCollection, [id, key])) as [unknown, unknown];
        if (typeof updatedRows !== 'number')
          throw new Error('the database driver did not report an UPDATE count');
        if (updatedRows > 0) {
          repointed += 1;
        } else {
          await manager.query(SQL.deleteCollection, [id]);
          deleted += 1;
        }
      }
      return { repointed, deleted };
    });
  }

  private async deleteCounted(sql: string, params: unknown[]): Promise<number> {
    const [row] = (await this.dataSource.query(sql, params)) as { deleted: number }[];
    return row?.deleted ?? 0;
  }

  private async deleteBatch(sql: string, params: unknown[]): Promise<number> {
    const [, affected] = (await this.dataSource.query(sql, params)) as [unknown, unknown];
    if (typeof affected !== 'number') {
      // Callers loop until a batch deletes nothing: a driver that stops reporting counts must fail loudly.
      throw new Error('the database driver did not report how many rows a DELETE removed');
    }
    return affected;
  }
}
