import { Inject, Injectable } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';
import { type DeploymentRecord, type DeploymentRow, toDeploymentRecord } from './deployment.records';

/** A pool the foreman found READY without an ONLINE worker, as it was before the transition. */
export interface UnstaffedWorkPool {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly lastTransitionedStatusAt: Instant | null;
  readonly lastStatusEventId: string | null;
}

/** A queue the foreman moved READY → NOT_READY, with what its status event names. */
export interface UnpolledWorkQueue {
  readonly id: string;
  readonly name: string;
  readonly workPoolId: string;
  readonly workPoolName: string;
  readonly workPoolType: string;
}

/** Deployment columns as `DeploymentRepository` reads them (flow name, queue's pool). */
const DEPLOYMENT_SELECT = `deployment.*,
  (SELECT flow.name FROM flow WHERE flow.id = deployment.flow_id) AS flow_name,
  (SELECT wq.work_pool_id FROM work_queue wq WHERE wq.id = deployment.work_queue_id) AS work_pool_id,
  (SELECT wp.name FROM work_queue wq JOIN work_pool wp ON wp.id = wq.work_pool_id
    WHERE wq.id = deployment.work_queue_id) AS work_pool_name`;

/*
 * The foreman's four statements (spec-services-events-ha §2.2, spec-api-orchestration §6.3 status
 * machines). Each candidate set is read and written in one transaction with its rows locked in id
 * order; the locking read re-checks its condition on the row version it waits for (a poll or a
 * heartbeat that committed meanwhile takes the row out of the set). The tables are small (one row
 * per worker, pool, queue, deployment): the status filters scan them; the worker lookups use
 * ix_worker__work_pool_id, the queue of a deployment pk_work_queue.
 */
const SQL = {
  // No event: upstream's foreman updates workers with one UPDATE and emits nothing.
  workersOffline: `WITH gone AS (
        UPDATE worker SET status = 'OFFLINE', updated = now()
        WHERE status = 'ONLINE' AND last_heartbeat_time
          < now() - (coalesce(heartbeat_interval_seconds, $1::int) * $2::float8) * interval '1 second'
        RETURNING id
      ) SELECT count(*)::int AS n FROM gone`,
  lockUnstaffedPools: `SELECT id, name, type, last_transitioned_status_at, last_status_event_id FROM work_pool
      WHERE status = 'READY'
        AND NOT EXISTS (SELECT 1 FROM worker WHERE worker.work_pool_id = work_pool.id AND worker.status = 'ONLINE')
      ORDER BY id LIMIT $1 FOR NO KEY UPDATE`,
  // Each pool gets the event id allocated for its transition (`last_status_event_id`).
  poolsNotReady: `UPDATE work_pool SET status = 'NOT_READY', last_transitioned_status_at = now(),
        last_status_event_id = transition.event_id, updated = now()
      FROM unnest($1::uuid[], $2::uuid[]) AS transition(id, event_id) WHERE work_pool.id = transition.id`,
  // Stale: polled once, not within the timeout, and its queue (if any) not polled within it either.
  lockStaleDeployments: `SELECT ${DEPLOYMENT_SELECT} FROM deployment
      WHERE deployment.status = 'READY' AND deployment.last_polled < $1
        AND NOT EXISTS (SELECT 1 FROM work_queue wq
          WHERE wq.id = deployment.work_queue_id AND wq.last_polled >= $1)
      ORDER BY deployment.id LIMIT $2 FOR UPDATE OF deployment`,
  // Readiness is not an edit: `updated` is written back unchanged (the recent-deployments
  // scheduler keys on it).
  deploymentsNotReady: `UPDATE deployment SET status = 'NOT_READY', updated = updated WHERE id = ANY($1::uuid[])`,
  queuesNotReady: `WITH stale AS (
        SELECT id FROM work_queue WHERE status = 'READY' AND last_polled < $1
        ORDER BY id LIMIT $2 FOR NO KEY UPDATE
      ), changed AS (
        UPDATE work_queue SET status = 'NOT_READY', updated = now()
        FROM stale, work_pool
        WHERE work_queue.id = stale.id AND work_pool.id = work_queue.work_pool_id
        RETURNING work_queue.id, work_queue.name, work_pool.id AS work_pool_id,
          work_pool.name AS work_pool_name, work_pool.type AS work_pool_type
      ) SELECT * FROM changed ORDER BY id`,
} as const;

@Injectable()
export class ForemanRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * ONLINE workers silent for more than `coalesce(heartbeat_interval_seconds, fallback) × multiple`
   * seconds become OFFLINE. Returns how many.
   */
  async markWorkersOffline(multiple: number, fallbackIntervalSeconds: number): Promise<number> {
    const [row] = (await this.dataSource.query(SQL.workersOffline, [fallbackIntervalSeconds, multiple])) as {
      n: number;
    }[];
    return row?.n ?? 0;
  }

  /** Locks up to `limit` READY pools with no ONLINE worker (id order). */
  async lockUnstaffedPools(manager: EntityManager, limit: number): Promise<UnstaffedWorkPool[]> {
    const rows = (await manager.query(SQL.lockUnstaffedPools, [limit])) as {
      id: string;
      name: string;
      type: string;
      last_transitioned_status_at: string | null;
      last_status_event_id: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      lastTransitionedStatusAt:
        row.last_transitioned_status_at === null ? null : Instant.parse(row.last_transitioned_status_at),
      lastStatusEventId: row.last_status_event_id,
    }));
  }

  /** Moves locked pools to NOT_READY, each under its pre-allocated status event id. */
  async markPoolsNotReady(
    manager: EntityManager,
    transitions: readonly { readonly id: string; readonly eventId: string }[],
  ): Promise<void> {
    if (transitions.length === 0) return;
    await manager.query(SQL.poolsNotReady, [transitions.map((t) => t.id), transitions.map((t) => t.eventId)]);
  }

  /**
   * Locks up to `limit` READY deployments last polled before `threshold` whose queue was not polled
   * since either, moves them to NOT_READY (`updated` kept) and returns them as they were.
   */
  async markDeploymentsNotReady(
    manager: EntityManager,
    threshold: Instant,
    limit: number,
  ): Promise<DeploymentRecord[]> {
    const rows = (await manager.query(SQL.lockStaleDeployments, [
      threshold.toISOString(),
      limit,
    ])) as DeploymentRow[];
    if (rows.length === 0) return [];
    await manager.query(SQL.deploymentsNotReady, [rows.map((r) => r.id)]);
    return rows.map(toDeploymentRecord);
  }

  /** Moves up to `limit` READY queues last polled before `threshold` to NOT_READY; returns them. */
  async markWorkQueuesNotReady(
    manager: EntityManager,
    threshold: Instant,
    limit: number,
  ): Promise<UnpolledWorkQueue[]> {
    const rows = (await manager.query(SQL.queuesNotReady, [threshold.toISOString(), limit])) as {
      id: string;
      name: string;
      work_pool_id: string;
      work_pool_name: string;
      work_pool_type: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      workPoolId: row.work_pool_id,
      workPoolName: row.work_pool_name,
      workPoolType: row.work_pool_type,
    }));
  }
}
