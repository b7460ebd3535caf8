import { Inject, Injectable } from '@nestjs/common';
import { Instant, type ListRequest, uuid7, type WorkQueueCriteria } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import type { WorkQueueStatus } from '../entities/status-enums';
import { workQueueInPoolListQuery, workQueueListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';
import { type WorkPoolRecord, WorkPoolRepository } from './work-pool.repository';

/** Pool that legacy `/work_queues/` routes and queue-only deployments put their queues in. */
export const DEFAULT_AGENT_WORK_POOL_NAME = 'default-agent-pool';
export const DEFAULT_AGENT_WORK_POOL_TYPE = 'prefect-agent';

export interface WorkQueueRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly description: string;
  readonly isPaused: boolean;
  readonly concurrencyLimit: number | null;
  readonly priority: number;
  readonly lastPolled: Instant | null;
  readonly status: WorkQueueStatus;
  readonly filter: unknown;
  readonly workPoolId: string;
  readonly workPoolName: string;
  /** Active runs of a limited queue (see `ActiveSlotsCounting`); null when unlimited. */
  readonly activeSlots: number | null;
}

/**
 * Which runs occupy a queue's slots: the pool-scoped routes count PENDING+RUNNING, the legacy
 * `/work_queues` routes also CANCELLING (spec-api-orchestration §2.3).
 */
export type ActiveSlotsCounting = 'pool' | 'legacy';

export interface WorkQueueCreateInput {
  readonly name: string;
  readonly description: string | null;
  readonly isPaused: boolean;
  readonly concurrencyLimit: number | null;
  /** null: the first free priority of the pool. */
  readonly priority: number | null;
  readonly filter?: unknown;
}

/** The fields of a queue PATCH: absent ones are left as they are. */
export interface WorkQueueChanges {
  readonly name?: string;
  readonly description?: string | null;
  readonly isPaused?: boolean;
  readonly concurrencyLimit?: number | null;
  readonly priority?: number;
  readonly lastPolled?: Instant | null;
  readonly status?: WorkQueueStatus;
}

/** A `(work_pool_name, work_queue_name)` pair resolved to the queue a deployment or run goes to. */
export interface ResolvedWorkQueue {
  readonly workQueueId: string;
  readonly workQueueName: string;
  readonly workPoolId: string;
  readonly workPoolName: string;
  /** Set when resolving created the pool (`default-agent-pool`), so the caller can emit its event. */
  readonly createdPool: WorkPoolRecord | null;
  /** Set when resolving created the queue, so the caller can emit `prefect.work-queue.created`. */
  readonly createdQueue: WorkQueueRecord | null;
}

export type WorkQueueResolution = ResolvedWorkQueue | { readonly missingPool: string };

interface WorkQueueRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  description: string;
  is_paused: boolean;
  concurrency_limit: number | null;
  priority: number;
  last_polled: string | null;
  status: WorkQueueStatus;
  filter: unknown;
  work_pool_id: string;
  work_pool_name: string;
  active_slots: number | null;
}

const ACTIVE_STATES: Record<ActiveSlotsCounting, string> = {
  pool: `'PENDING', 'RUNNING'`,
  legacy: `'PENDING', 'RUNNING', 'CANCELLING'`,
};

/** Queue columns with its pool's name and, when limited, its active runs (ix_flow_run__work_queue_id). */
function columns(counting: ActiveSlotsCounting): string {
  return [
    'work_queue.id',
    'work_queue.created',
    'work_queue.updated',
    'work_queue.name',
    'work_queue.description',
    'work_queue.is_paused',
    'work_queue.concurrency_limit',
    'work_queue.priority',
    'work_queue.last_polled',
    'work_queue.status',
    'work_queue.filter',
    'work_queue.work_pool_id',
    '(SELECT work_pool.name FROM work_pool WHERE work_pool.id = work_queue.work_pool_id) AS work_pool_name',
    `CASE WHEN work_queue.concurrency_limit IS NULL THEN NULL ELSE (
       SELECT count(*)::int FROM flow_run
       WHERE flow_run.work_queue_id = work_queue.id AND flow_run.state_type IN (${ACTIVE_STATES[counting]})
     ) END AS active_slots`,
  ].join(', ');
}

/*
 * Work queues (spec-api-orchestration §2.3). Serving indexes: uq_work_queue__work_pool_id_name
 * (by pool and name, create's conflict target), ix_work_queue__work_pool_id_priority (priority
 * order and the first free priority), pk_work_queue.
 */
const SQL = {
  lockPool: `SELECT id FROM work_pool WHERE id = $1 FOR NO KEY UPDATE`,
  // The first priority not taken in the pool (a gap in 1, 2, 3 …), else max + 1; upstream's rule.
  insertIfAbsent: `INSERT INTO work_queue
      (id, name, description, is_paused, concurrency_limit, priority, status, filter, work_pool_id)
      VALUES ($1, $2, coalesce($3, ''), $4, $5, coalesce($6::int,
        (SELECT min(ranked.n) FROM (
           SELECT priority, row_number() OVER (ORDER BY priority) AS n FROM work_queue WHERE work_pool_id = $9::uuid
         ) ranked WHERE ranked.n <> ranked.priority),
        (SELECT coalesce(max(priority), 0) + 1 FROM work_queue WHERE work_pool_id = $9::uuid)),
        $7, $8::jsonb, $9::uuid)
      ON CONFLICT (work_pool_id, name) DO NOTHING RETURNING id`,
  priorities: `SELECT id, priority FROM work_queue WHERE work_pool_id = $1 ORDER BY priority ASC, name ASC`,
  setPriorities: `UPDATE work_queue SET priority = changed.priority, updated = now()
      FROM unnest($1::uuid[], $2::int[]) AS changed(id, priority) WHERE work_queue.id = changed.id`,
  poolByName: `SELECT id, name, default_queue_id FROM work_pool WHERE name = $1`,
  deleteById: `WITH gone AS (DELETE FROM work_queue WHERE id = $1 RETURNING id, name, work_pool_id) SELECT * FROM gone`,
} as const;

export function toWorkQueueRecord(row: WorkQueueRow): WorkQueueRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    description: row.description,
    isPaused: row.is_paused,
    concurrencyLimit: row.concurrency_limit,
    priority: row.priority,
    lastPolled: row.last_polled === null ? null : Instant.parse(row.last_polled),
    status: row.status,
    filter: row.filter,
    workPoolId: row.work_pool_id,
    workPoolName: row.work_pool_name,
    activeSlots: row.active_slots,
  };
}

/**
 * New priorities after `moved` queues take the given priorities: the others keep their order and
 * are pushed up only as far as needed to keep priorities unique and increasing (upstream's
 * `bulk_update_work_queue_priorities`). Returns only the queues whose priority changes.
 */
export function shiftPriorities(
  queues: readonly { id: string; priority: number }[],
  moved: ReadonlyMap<string, number>,
): Map<string, number> {
  const ordered = queues.filter((q) => !moved.has(q.id)).map((q) => ({ ...q }));
  const movers = queues
    .filter((q) => moved.has(q.id))
    .map((q) => ({ id: q.id, priority: moved.get(q.id)! }))
    .sort((a, b) => a.priority - b.priority);
  for (const mover of movers) {
    const at = ordered.findIndex((q) => q.priority >= mover.priority);
    // Upstream leaves a mover past every other queue out of the walk: nothing needs shifting.
    if (at >= 0) ordered.splice(at, 0, mover);
  }
  const result = new Map<string, number>();
  for (const mover of movers) result.set(mover.id, mover.priority);
  let last = 0;
  for (const queue of ordered) {
    if (queue.priority <= last) {
      last += 1;
      queue.priority = last;
    } else {
      last = queue.priority;
    }
    result.set(queue.id, queue.priority);
  }
  const before = new Map(queues.map((q) => [q.id, q.priority]));
  for (const [id, priority] of result) if (before.get(id) === priority) result.delete(id);
  return result;
}

@Injectable()
export class WorkQueueRepository {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly pools: WorkPoolRepository,
  ) {}

  /**
   * Resolves where a deployment (or run) goes, spec-api-orchestration §7.3, inside the caller's
   * transaction: pool + queue ⇒ that queue, created in the pool if missing; pool only ⇒ the pool's
   * default queue; queue only ⇒ the legacy queue of that name in `default-agent-pool` (pool and
   * queue created if missing; a new legacy queue takes priority 1, as upstream); neither ⇒ null.
   * `{ missingPool }` when a named pool does not exist (answer 404 `Work pool "x" not found.`).
   * Creation is `ON CONFLICT DO NOTHING` then read, so concurrent resolvers agree on one row.
   */
  async resolve(
    manager: EntityManager,
    names: { workPoolName: string | null; workQueueName: string | null },
  ): Promise<WorkQueueResolution | null> {
    const { workPoolName, workQueueName } = names;
    if (workPoolName === null && workQueueName === null) return null;
    let createdPool: WorkPoolRecord | null = null;
    let pool = await this.poolByName(manager, workPoolName ?? DEFAULT_AGENT_WORK_POOL_NAME);
    if (pool === null) {
      if (workPoolName !== null) return { missingPool: workPoolName };
      createdPool = await this.pools.create(manager, {
        name: DEFAULT_AGENT_WORK_POOL_NAME,
        description: null,
        type: DEFAULT_AGENT_WORK_POOL_TYPE,
        baseJobTemplate: {},
        isPaused: false,
        concurrencyLimit: null,
        storageConfiguration: {},
      });
      pool = await this.poolByName(manager, DEFAULT_AGENT_WORK_POOL_NAME);
      if (pool === null)
        throw new Error(`work pool ${DEFAULT_AGENT_WORK_POOL_NAME} vanished while being created`);
    }
    const resolved = (queue: WorkQueueRecord, createdQueue: WorkQueueRecord | null): ResolvedWorkQueue => ({
      workQueueId: queue.id,
      workQueueName: queue.name,
      workPoolId: pool.id,
      workPoolName: pool.name,
      createdPool,
      createdQueue,
    });
    if (workQueueName === null) {
      const queue =
        pool.default_queue_id === null ? null : await this.getById(pool.default_queue_id, 'pool', manager);
      if (queue === null) throw new Error(`work pool ${pool.name} has no default queue`);
      return resolved(queue, null);
    }
    const existing = await this.getInPool(pool.id, workQueueName, 'pool', manager);
    if (existing !== null) return resolved(existing, null);
    const created = await this.create(manager, pool.id, {
      name: workQueueName,
      description: null,
      isPaused: false,
      concurrencyLimit: null,
      priority: workPoolName === null ? 1 : null,
    });
    const queue = created ?? (await this.getInPool(pool.id, workQueueName, 'pool', manager));
    if (queue === null) throw new Error(`work queue ${workQueueName} vanished while being created`);
    return resolved(queue, created);
  }

  /**
   * Creates a queue in the pool; null when the pool already has a queue of that name. Locks the
   * pool row so concurrent creations pick distinct priorities; an explicit priority shifts the
   * other queues up (`shiftPriorities`).
   */
  async create(
    manager: EntityManager,
    workPoolId: string,
    queue: WorkQueueCreateInput,
  ): Promise<WorkQueueRecord | null> {
    await manager.query(SQL.lockPool, [workPoolId]);
    const [inserted] = (await manager.query(SQL.insertIfAbsent, [
      uuid7(),
      queue.name,
      queue.description,
      queue.isPaused,
      queue.concurrencyLimit,
      queue.priority,
      // NOT_READY even when created paused (upstream's create never sets PAUSED).
      'NOT_READY',
      queue.filter === undefined || queue.filter === null ? null : JSON.stringify(queue.filter),
      workPoolId,
    ])) as { id: string }[];
    if (inserted === undefined) return null;
    if (queue.priority !== null) await this.applyPriority(manager, workPoolId, inserted.id, queue.priority);
    return this.getById(inserted.id, 'pool', manager);
  }

  async getById(
    id: string,
    counting: ActiveSlotsCounting = 'pool',
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WorkQueueRecord | null> {
    return this.one(manager, `SELECT ${columns(counting)} FROM work_queue WHERE work_queue.id = $1`, [id]);
  }

  async getInPool(
    workPoolId: string,
    name: string,
    counting: ActiveSlotsCounting = 'pool',
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WorkQueueRecord | null> {
    return this.one(
      manager,
      `SELECT ${columns(counting)} FROM work_queue WHERE work_queue.work_pool_id = $1 AND work_queue.name = $2`,
      [workPoolId, name],
    );
  }

  /** Locks a queue row for a status transition; returns it as it now is. */
  async lock(manager: EntityManager, id: string): Promise<WorkQueueRecord | null> {
    await manager.query(`SELECT id FROM work_queue WHERE id = $1 FOR NO KEY UPDATE`, [id]);
    return this.getById(id, 'pool', manager);
  }

  /** Writes the present fields and bumps `updated`; a new priority shifts the other queues. */
  async update(manager: EntityManager, queue: WorkQueueRecord, changes: WorkQueueChanges): Promise<void> {
    const params: unknown[] = [queue.id];
    const set: string[] = [];
    const put = (column: string, value: unknown): void => {
      params.push(value);
      set.push(`${column} = $${params.length}`);
    };
    if (changes.name !== undefined) put('name', changes.name);
    if (changes.description !== undefined) put('description', changes.description ?? '');
    if (changes.isPaused !== undefined) put('is_paused', changes.isPaused);
    if (changes.concurrencyLimit !== undefined) put('concurrency_limit', changes.concurrencyLimit);
    if (changes.lastPolled !== undefined) put('last_polled', changes.lastPolled?.toISOString() ?? null);
    if (changes.status !== undefined) put('status', changes.status);
    set.push('updated = now()');
    if (changes.priority !== undefined) await manager.query(SQL.lockPool, [queue.workPoolId]);
    await manager.query(`UPDATE work_queue SET ${set.join(', ')} WHERE id = $1`, params);
    if (changes.priority !== undefined)
      await this.applyPriority(manager, queue.workPoolId, queue.id, changes.priority);
  }

  /** Returns what was deleted, or null. */
  async delete(
    manager: EntityManager,
    id: string,
  ): Promise<{ id: string; name: string; workPoolId: string } | null> {
    const [row] = (await manager.query(SQL.deleteById, [id])) as {
      id: string;
      name: string;
      work_pool_id: string;
    }[];
    return row === undefined ? null : { id: row.id, name: row.name, workPoolId: row.work_pool_id };
  }

  /** Runs of the queue in the `Late` state (legacy `/work_queues/{id}/status`; ix_flow_run__work_queue_id). */
  async lateRunsCount(id: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS count FROM flow_run
       WHERE work_queue_id = $1 AND state_type = 'SCHEDULED' AND state_name = 'Late'`,
      [id],
    )) as { count: number }[];
    return row?.count ?? 0;
  }

  /** `POST /work_pools/{pool}/queues/filter`: priority order (ix_work_queue__work_pool_id_priority). */
  async listInPool(workPoolId: string, request: ListRequest<WorkQueueCriteria>): Promise<WorkQueueRecord[]> {
    const { sql, params } = workQueueInPoolListQuery(workPoolId, request, columns('pool'));
    return ((await this.dataSource.query(sql, params)) as WorkQueueRow[]).map(toWorkQueueRecord);
  }

  /**
   * `GET /deployments/{id}/work_queue_check`: the queues whose legacy `filter` would take the
   * deployment — its `tags` (absent/null/[] = any) all among the deployment's tags, and its
   * `deployment_ids` (absent/null/[] = any) containing the deployment. Null when the deployment
   * does not exist. Upstream compares NULL filters with `@>` and so never matches queues without a
   * filter (every Prefect 3 queue); here an absent filter restricts nothing, as its docstring says.
   */
  async forDeployment(deploymentId: string): Promise<WorkQueueRecord[] | null> {
    const rows = (await this.dataSource.query(
      `WITH d AS (SELECT id, tags FROM deployment WHERE id = $1)
       SELECT d.id AS deployment_found, q.* FROM d LEFT JOIN LATERAL (
         SELECT ${columns('legacy')} FROM work_queue
         WHERE (jsonb_typeof(work_queue.filter->'tags') IS DISTINCT FROM 'array'
                OR d.tags @> (work_queue.filter->'tags'))
           AND (jsonb_typeof(work_queue.filter->'deployment_ids') IS DISTINCT FROM 'array'
                OR work_queue.filter->'deployment_ids' = '[]'::jsonb
                OR (work_queue.filter->'deployment_ids') @> to_jsonb(d.id::text))
         ORDER BY work_queue.name
       ) q ON true`,
      [deploymentId],
    )) as (WorkQueueRow & { deployment_found: string | null })[];
    if (rows.length === 0) return null;
    return rows.filter((r) => r.id !== null).map(toWorkQueueRecord);
  }

  /** Legacy `POST /work_queues/filter`: queues of every pool, by name. */
  async listLegacy(request: ListRequest<WorkQueueCriteria>): Promise<WorkQueueRecord[]> {
    const { sql, params } = workQueueListQuery(request, columns('legacy'));
    return ((await this.dataSource.query(sql, params)) as WorkQueueRow[]).map(toWorkQueueRecord);
  }

  private async applyPriority(
    manager: EntityManager,
    workPoolId: string,
    queueId: string,
    priority: number,
  ): Promise<void> {
    const queues = (await manager.query(SQL.priorities, [workPoolId])) as { id: string; priority: number }[];
    const changed = shiftPriorities(queues, new Map([[queueId, priority]]));
    if (changed.size === 0) return;
    await manager.query(SQL.setPriorities, [[...changed.keys()], [...changed.values()]]);
  }

  private async poolByName(
    manager: EntityManager,
    name: string,
  ): Promise<{ id: string; name: string; default_queue_id: string | null } | null> {
    const [row] = (await manager.query(SQL.poolByName, [name])) as {
      id: string;
      name: string;
      default_queue_id: string | null;
    }[];
    return row ?? null;
  }

  private async one(manager: EntityManager, sql: string, params: unknown[]): Promise<WorkQueueRecord | null> {
    const [row] = (await manager.query(sql, params)) as WorkQueueRow[];
    return row === undefined ? null : toWorkQueueRecord(row);
  }
}
