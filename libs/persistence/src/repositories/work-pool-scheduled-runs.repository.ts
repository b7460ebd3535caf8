import { Inject, Injectable } from '@nestjs/common';
import type { Instant } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';
import {
  FLOW_RUN_COLUMNS,
  FLOW_RUN_JOINS,
  type FlowRunRecord,
  type FlowRunRow,
  toFlowRunRecord,
} from './flow-run.records';

/** A run a worker may pick up, with the queue it was selected through. */
export interface WorkerScheduledRun {
  readonly workPoolId: string;
  readonly workQueueId: string;
  readonly flowRun: FlowRunRecord;
}

export interface ScheduledRunsQuery {
  readonly workPoolId: string;
  /** null: every queue of the pool. */
  readonly workQueueIds: readonly string[] | null;
  readonly scheduledBefore: Instant | null;
  readonly scheduledAfter: Instant | null;
  readonly limit: number;
  /**
   * Legacy `/work_queues/{id}/get_runs`: CANCELLING runs also hold queue slots, and the pool's
   * pause and limit are not looked at (upstream's legacy query). Default: the worker poll's rules.
   */
  readonly legacy?: boolean;
}

/** Upper bound of one queue's share of a poll when it has no limit (upstream's 1000). */
const MAX_PER_QUEUE = 1000;

/*
 * The worker poll, `POST /work_pools/{name}/get_scheduled_flow_runs` (spec-api-orchestration §6.3),
 * as one statement:
 * - `polled_queue`: the pool's unpaused queues (all, or the named ones) of an unpaused pool, each
 *   with its free slots = min(1000, limit − PENDING/RUNNING runs), floored at 0 — uq/pk lookups,
 *   ix_work_queue__work_pool_id, and ix_flow_run__work_queue_id for the counts;
 * - `pool_slots`: the same for the pool limit across all of its queues;
 * - per queue (LATERAL) its SCHEDULED runs in the time window, excluding in-process retries,
 *   earliest `next_scheduled_start_time` first, at most its free slots and never more than the
 *   overall limit (no queue can contribute more rows than that to the page), locked FOR UPDATE
 *   SKIP LOCKED. Served by the partial index ix_flow_run__work_queue_id_scheduled_next_start
 *   (work_queue_id, next_scheduled_start_time, id) WHERE state_type = 'SCHEDULED', which holds
 *   the rows in exactly this order, so a poll reads only the rows it may hand out however many
 *   finished runs the queue has (tools/bench worker-poll);
 * - overall: queue priority, then `next_scheduled_start_time`, at most min(limit, pool slots).
 * No state changes: the worker claims a run by proposing PENDING. $6 (slot-holding states) and $7
 * (ignore the pool) only differ for the legacy `/work_queues/{id}/get_runs`.
 */
const SCHEDULED_RUNS_SQL = `
WITH polled_queue AS (
  SELECT work_queue.id, work_queue.priority,
    CASE WHEN work_queue.concurrency_limit IS NULL THEN ${MAX_PER_QUEUE}
      ELSE greatest(0, least(${MAX_PER_QUEUE}, work_queue.concurrency_limit - (
        SELECT count(*) FROM flow_run active
        WHERE active.work_queue_id = work_queue.id AND active.state_type = ANY($6::state_type[]))))
    END AS free_slots
  FROM work_queue JOIN work_pool ON work_pool.id = work_queue.work_pool_id
  WHERE work_pool.id = $1 AND NOT work_queue.is_paused AND ($7::boolean OR NOT work_pool.is_paused)
    AND ($2::uuid[] IS NULL OR work_queue.id = ANY($2::uuid[]))
),
pool_slots AS (
  SELECT CASE WHEN work_pool.concurrency_limit IS NULL OR $7::boolean THEN $5::int
      ELSE greatest(0, work_pool.concurrency_limit - (
        SELECT count(*) FROM flow_run active JOIN work_queue pool_queue ON pool_queue.id = active.work_queue_id
        WHERE pool_queue.work_pool_id = work_pool.id AND active.state_type IN ('PENDING', 'RUNNING')))
    END AS free_slots
  FROM work_pool WHERE work_pool.id = $1
)
SELECT candidate.id, polled_queue.id AS work_queue_id, polled_queue.priority, candidate.next_scheduled_start_time
FROM polled_queue
CROSS JOIN LATERAL (
  SELECT flow_run.id, flow_run.next_scheduled_start_time
  FROM flow_run
  WHERE flow_run.work_queue_id = polled_queue.id
    AND flow_run.state_type = 'SCHEDULED'
    AND (flow_run.empirical_policy ->> 'retry_type') IS DISTINCT FROM 'in_process'
    AND ($3::timestamptz IS NULL OR flow_run.next_scheduled_start_time <= $3::timestamptz)
    AND ($4::timestamptz IS NULL OR flow_run.next_scheduled_start_time >= $4::timestamptz)
  ORDER BY flow_run.next_scheduled_start_time ASC NULLS LAST, flow_run.id
  LIMIT least(polled_queue.free_slots, $5::int)
  FOR UPDATE SKIP LOCKED
) candidate
ORDER BY polled_queue.priority ASC, candidate.next_scheduled_start_time ASC NULLS LAST, candidate.id
LIMIT least($5::int, (SELECT free_slots FROM pool_slots))`;

/**
 * The selection and the picked runs' full rows in one statement (one round trip, no explicit
 * transaction: the row locks only need to last as long as the selection itself), in poll order.
 */
const SCHEDULED_RUNS_WITH_ROWS_SQL = `
WITH picked AS MATERIALIZED (${SCHEDULED_RUNS_SQL})
SELECT picked.work_queue_id AS picked_work_queue_id, ${FLOW_RUN_COLUMNS}
FROM picked JOIN flow_run ON flow_run.id = picked.id ${FLOW_RUN_JOINS}
ORDER BY picked.priority ASC, picked.next_scheduled_start_time ASC NULLS LAST, picked.id`;

/** The poll statement with its parameters (exported for the plan check and benchmarks). */
export function scheduledRunsStatement(query: ScheduledRunsQuery): { sql: string; params: unknown[] } {
  return {
    sql: SCHEDULED_RUNS_SQL,
    params: [
      query.workPoolId,
      query.workQueueIds === null ? null : [...query.workQueueIds],
      query.scheduledBefore?.toISOString() ?? null,
      query.scheduledAfter?.toISOString() ?? null,
      query.limit,
      query.legacy === true ? ['PENDING', 'RUNNING', 'CANCELLING'] : ['PENDING', 'RUNNING'],
      query.legacy === true,
    ],
  };
}

const SQL = {
  // Every polled queue gets last_polled; unpaused NOT_READY ones become READY and come back for their event.
  markQueuesPolled: `WITH polled AS (
      SELECT id, status FROM work_queue WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE
    ), changed AS (
      UPDATE work_queue SET last_polled = now(), updated = now(),
        status = CASE WHEN work_queue.status = 'NOT_READY' AND NOT work_queue.is_paused
          THEN 'READY'::work_queue_status ELSE work_queue.status END
      FROM polled WHERE work_queue.id = polled.id
      RETURNING work_queue.id, polled.status AS previous_status, work_queue.status AS status
    ) SELECT id FROM changed WHERE previous_status = 'NOT_READY' AND status = 'READY'`,
  // Deployments of the polled queues (ix_deployment__work_queue_id).
  deploymentsOfQueues: `SELECT id FROM deployment WHERE work_queue_id = ANY($1::uuid[]) ORDER BY id`,
} as const;

@Injectable()
export class WorkPoolScheduledRunsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The runs to hand a polling worker, in poll order (see SCHEDULED_RUNS_SQL). */
  async select(query: ScheduledRunsQuery): Promise<WorkerScheduledRun[]> {
    const { params } = scheduledRunsStatement(query);
    const rows = (await this.dataSource.query(SCHEDULED_RUNS_WITH_ROWS_SQL, params)) as (FlowRunRow & {
      picked_work_queue_id: string;
    })[];
    return rows.map((row) => ({
      workPoolId: query.workPoolId,
      workQueueId: row.picked_work_queue_id,
      flowRun: toFlowRunRecord(row),
    }));
  }

  /** Stamps `last_polled` on the queues; returns the ids of those that went NOT_READY → READY. */
  async markQueuesPolled(manager: EntityManager, queueIds: readonly string[]): Promise<string[]> {
    if (queueIds.length === 0) return [];
    const rows = (await manager.query(SQL.markQueuesPolled, [[...queueIds]])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Ids of the deployments attached to the queues (DeploymentRepository.markReady takes them). */
  async deploymentsOfQueues(manager: EntityManager, queueIds: readonly string[]): Promise<string[]> {
    if (queueIds.length === 0) return [];
    const rows = (await manager.query(SQL.deploymentsOfQueues, [[...queueIds]])) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
