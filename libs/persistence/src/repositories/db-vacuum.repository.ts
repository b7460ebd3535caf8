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

const SQL = {
  // ix_log__flow_run_id (anti-join probe into pk_flow_run)
  orphanedLogs: `DELETE FROM log WHERE id IN (
      SELECT l.id FROM log l
      WHERE l.flow_run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM flow_run f WHERE f.id = l.flow_run_id)
      LIMIT $1)`,
  // ix_artifact__flow_run_id
  orphanedArtifacts: `DELETE FROM artifact WHERE id IN (
      SELECT a.id FROM artifact a
      WHERE a.flow_run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM flow_run f WHERE f.id = a.flow_run_id)
      LIMIT $1)`,
  // ix_flow_run__end_time_desc; cascades to states, task runs and their states
  oldFlowRuns: `DELETE FROM flow_run WHERE id IN (
      SELECT id FROM flow_run
      WHERE parent_task_run_id IS NULL AND state_type IN ${TERMINAL} AND end_time IS NOT NULL AND end_time < $1
      LIMIT $2)`,
  // ix_event_resources__occurred
  oldEventResources: `DELETE FROM event_resources WHERE id IN (
      SELECT id FROM event_resources WHERE occurred < $1 LIMIT $2)`,
  // ix_events__occurred_id
  oldEvents: `DELETE FROM events WHERE id IN (SELECT id FROM events WHERE occurred < $1 LIMIT $2)`,
  // ix_events__event_occurred, then ix_event_resources__event_id
  eventResourcesOfType: `DELETE FROM event_resources WHERE id IN (
      SELECT r.id FROM events e JOIN event_resources r ON r.event_id = e.id
      WHERE e.event = $1 AND e.occurred < $2
      LIMIT $3)`,
  // ix_events__event_occurred
  eventsOfType: `DELETE FROM events WHERE id IN (
      SELECT id FROM events WHERE event = $1 AND occurred < $2 LIMIT $3)`,
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

/** Row counts of one batch. */
export interface CollectionBatch {
  readonly repointed: number;
  readonly deleted: number;
}

@Injectable()
export class DbVacuumRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  deleteOrphanedLogs(batchSize: number): Promise<number> {
    return this.deleteBatch(SQL.orphanedLogs, [batchSize]);
  }

  deleteOrphanedArtifacts(batchSize: number): Promise<number> {
    return this.deleteBatch(SQL.orphanedArtifacts, [batchSize]);
  }

  /** Top-level flow runs in a terminal state that ended before `before`. */
  deleteOldFlowRuns(before: Instant, batchSize: number): Promise<number> {
    return this.deleteBatch(SQL.oldFlowRuns, [before.toISOString(), batchSize]);
  }

  /** Events that occurred before `before`, resources first (there is no FK cascade). */
  async deleteOldEvents(before: Instant, batchSize: number): Promise<{ resources: number; events: number }> {
    const resources = await this.deleteBatch(SQL.oldEventResources, [before.toISOString(), batchSize]);
    const events =
      resources > 0 ? 0 : await this.deleteBatch(SQL.oldEvents, [before.toISOString(), batchSize]);
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
    const resources = await this.deleteBatch(SQL.eventResourcesOfType, [
      event,
      before.toISOString(),
      batchSize,
    ]);
    const events =
      resources > 0 ? 0 : await this.deleteBatch(SQL.eventsOfType, [event, before.toISOString(), batchSize]);
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

  private async deleteBatch(sql: string, params: unknown[]): Promise<number> {
    const [, affected] = (await this.dataSource.query(sql, params)) as [unknown, unknown];
    if (typeof affected !== 'number') {
      // Callers loop until a batch deletes nothing: a driver that stops reporting counts must fail loudly.
      throw new Error('the database driver did not report how many rows a DELETE removed');
    }
    return affected;
  }
}
