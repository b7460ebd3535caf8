import { Inject, Injectable } from '@nestjs/common';
import { Instant, type ListRequest, uuid7, type WorkPoolCriteria } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import type { JsonObject } from '../entities/json';
import type { WorkPoolStatus } from '../entities/status-enums';
import { workPoolCountQuery, workPoolListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

export interface WorkPoolRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly description: string | null;
  readonly type: string;
  readonly baseJobTemplate: JsonObject;
  readonly isPaused: boolean;
  readonly defaultQueueId: string | null;
  readonly concurrencyLimit: number | null;
  readonly status: WorkPoolStatus;
  readonly lastTransitionedStatusAt: Instant | null;
  readonly lastStatusEventId: string | null;
  readonly storageConfiguration: JsonObject;
  /** PENDING + RUNNING runs of the pool's queues; only counted when the pool has a limit. */
  readonly activeSlots: number | null;
}

export interface WorkPoolCreateInput {
  readonly name: string;
  readonly description: string | null;
  readonly type: string;
  readonly baseJobTemplate: JsonObject;
  readonly isPaused: boolean;
  readonly concurrencyLimit: number | null;
  readonly storageConfiguration: JsonObject;
}

/** The fields of a `PATCH /work_pools/{name}`: absent ones are left as they are. */
export interface WorkPoolChanges {
  readonly description?: string | null;
  readonly isPaused?: boolean;
  readonly baseJobTemplate?: JsonObject;
  readonly concurrencyLimit?: number | null;
  readonly storageConfiguration?: JsonObject;
}

interface WorkPoolRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  description: string | null;
  type: string;
  base_job_template: JsonObject;
  is_paused: boolean;
  default_queue_id: string | null;
  concurrency_limit: number | null;
  status: WorkPoolStatus;
  last_transitioned_status_at: string | null;
  last_status_event_id: string | null;
  storage_configuration: JsonObject;
  active_slots: number | null;
}

const PLAIN_COLUMNS = [
  'id',
  'created',
  'updated',
  'name',
  'description',
  'type',
  'base_job_template',
  'is_paused',
  'default_queue_id',
  'concurrency_limit',
  'status',
  'last_transitioned_status_at',
  'last_status_event_id',
  'storage_configuration',
];

/**
 * `active_slots` of a limited pool: its runs in PENDING/RUNNING across all of its queues
 * (ix_work_queue__work_pool_id, then ix_flow_run__work_queue_id).
 */
const ACTIVE_SLOTS = `CASE WHEN work_pool.concurrency_limit IS NULL THEN NULL ELSE (
    SELECT count(*)::int FROM flow_run JOIN work_queue ON work_queue.id = flow_run.work_queue_id
    WHERE work_queue.work_pool_id = work_pool.id AND flow_run.state_type IN ('PENDING', 'RUNNING')
  ) END AS active_slots`;

const COLUMNS = `${PLAIN_COLUMNS.map((c) => `work_pool.${c}`).join(', ')}, ${ACTIVE_SLOTS}`;

/** Description of the queue every pool is created with (upstream's wording). */
export const DEFAULT_QUEUE_DESCRIPTION = "The work pool's default queue.";

/*
 * Work pools (spec-api-orchestration §2.3). Serving indexes: uq_work_pool__name (everything by
 * name), pk_work_pool. Writes run on the caller's EntityManager so the pool's events go into the
 * outbox of the same transaction. Status changes and queue creation lock the pool row first with
 * FOR NO KEY UPDATE, which serialises them but still lets queue/worker inserts take their FK
 * (KEY SHARE) lock on it.
 */
const SQL = {
  insertIfAbsent: `INSERT INTO work_pool
      (id, name, description, type, base_job_template, is_paused, concurrency_limit, status, storage_configuration)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9::jsonb)
      ON CONFLICT (name) DO NOTHING RETURNING id`,
  insertDefaultQueue: `INSERT INTO work_queue (id, name, description, priority, work_pool_id)
      VALUES ($1, 'default', $2, 1, $3)`,
  setDefaultQueue: `UPDATE work_pool SET default_queue_id = $2 WHERE id = $1`,
  byName: `SELECT ${COLUMNS} FROM work_pool WHERE name = $1`,
  byId: `SELECT ${COLUMNS} FROM work_pool WHERE id = $1`,
  lockByName: `SELECT id FROM work_pool WHERE name = $1 FOR NO KEY UPDATE`,
  setStatus: `UPDATE work_pool SET status = $2, last_transitioned_status_at = now(), last_status_event_id = $3,
      updated = now() WHERE id = $1`,
  deleteByName: `WITH gone AS (DELETE FROM work_pool WHERE name = $1 RETURNING id, name, type, default_queue_id)
      SELECT * FROM gone`,
  blockDocumentExists: `SELECT EXISTS (SELECT 1 FROM block_document WHERE id = $1) AS found`,
  hasOnlineWorker: `SELECT EXISTS (SELECT 1 FROM worker WHERE work_pool_id = $1 AND status = 'ONLINE') AS online`,
} as const;

export function toWorkPoolRecord(row: WorkPoolRow): WorkPoolRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    description: row.description,
    type: row.type,
    baseJobTemplate: row.base_job_template,
    isPaused: row.is_paused,
    defaultQueueId: row.default_queue_id,
    concurrencyLimit: row.concurrency_limit,
    status: row.status,
    lastTransitionedStatusAt:
      row.last_transitioned_status_at === null ? null : Instant.parse(row.last_transitioned_status_at),
    lastStatusEventId: row.last_status_event_id,
    storageConfiguration: row.storage_configuration,
    activeSlots: row.active_slots,
  };
}

@Injectable()
export class WorkPoolRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Creates the pool with its `default` queue (priority 1) and points `default_queue_id` at it.
   * A new pool is PAUSED when created paused, else NOT_READY. Returns null when the name is taken
   * (nothing is written), so concurrent creators of the same pool race safely.
   */
  async create(manager: EntityManager, pool: WorkPoolCreateInput): Promise<WorkPoolRecord | null> {
    const [inserted] = (await manager.query(SQL.insertIfAbsent, [
      uuid7(),
      pool.name,
      pool.description,
      pool.type,
      JSON.stringify(pool.baseJobTemplate),
      pool.isPaused,
      pool.concurrencyLimit,
      pool.isPaused ? 'PAUSED' : 'NOT_READY',
      JSON.stringify(pool.storageConfiguration),
    ])) as { id: string }[];
    if (inserted === undefined) return null;
    const queueId = uuid7();
    await manager.query(SQL.insertDefaultQueue, [queueId, DEFAULT_QUEUE_DESCRIPTION, inserted.id]);
    await manager.query(SQL.setDefaultQueue, [inserted.id, queueId]);
    return this.getById(inserted.id, manager);
  }

  async getByName(
    name: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WorkPoolRecord | null> {
    return this.one(manager, SQL.byName, [name]);
  }

  async getById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WorkPoolRecord | null> {
    return this.one(manager, SQL.byId, [id]);
  }

  /** Locks the pool row for a status transition and returns it as it now is (null: no such pool). */
  async lockByName(manager: EntityManager, name: string): Promise<WorkPoolRecord | null> {
    const [locked] = (await manager.query(SQL.lockByName, [name])) as { id: string }[];
    return locked === undefined ? null : this.getById(locked.id, manager);
  }

  /** Writes the present fields and bumps `updated`; returns the row as it now is. */
  async update(manager: EntityManager, id: string, changes: WorkPoolChanges): Promise<WorkPoolRecord | null> {
    const params: unknown[] = [id];
    const set: string[] = [];
    const put = (column: string, value: unknown, cast = ''): void => {
      params.push(value);
      set.push(`${column} = $${params.length}${cast}`);
    };
    if (changes.description !== undefined) put('description', changes.description);
    if (changes.isPaused !== undefined) put('is_paused', changes.isPaused);
    if (changes.baseJobTemplate !== undefined)
      put('base_job_template', JSON.stringify(changes.baseJobTemplate), '::jsonb');
    if (changes.concurrencyLimit !== undefined) put('concurrency_limit', changes.concurrencyLimit);
    if (changes.storageConfiguration !== undefined)
      put('storage_configuration', JSON.stringify(changes.storageConfiguration), '::jsonb');
    set.push('updated = now()');
    await manager.query(`UPDATE work_pool SET ${set.join(', ')} WHERE id = $1`, params);
    return this.getById(id, manager);
  }

  /** Moves the pool to `status`, recording when and under which (pre-allocated) event id. */
  async setStatus(
    manager: EntityManager,
    id: string,
    status: WorkPoolStatus,
    eventId: string,
  ): Promise<void> {
    await manager.query(SQL.setStatus, [id, status, eventId]);
  }

  /** For block references among a template's defaults (`{"$ref": {"block_document_id": …}}`). */
  async blockDocumentExists(id: string): Promise<boolean> {
    const [row] = (await this.dataSource.query(SQL.blockDocumentExists, [id])) as { found: boolean }[];
    return row?.found ?? false;
  }

  async hasOnlineWorker(manager: EntityManager, id: string): Promise<boolean> {
    const [row] = (await manager.query(SQL.hasOnlineWorker, [id])) as { online: boolean }[];
    return row?.online ?? false;
  }

  /** Deletes the pool (its queues and workers cascade); returns what was deleted, or null. */
  async deleteByName(
    manager: EntityManager,
    name: string,
  ): Promise<{ id: string; name: string; type: string; defaultQueueId: string | null } | null> {
    const [row] = (await manager.query(SQL.deleteByName, [name])) as {
      id: string;
      name: string;
      type: string;
      default_queue_id: string | null;
    }[];
    return row === undefined
      ? null
      : { id: row.id, name: row.name, type: row.type, defaultQueueId: row.default_queue_id };
  }

  /** `POST /work_pools/filter`: one statement (filters/list.queries.ts), by name. */
  async list(request: ListRequest<WorkPoolCriteria>): Promise<WorkPoolRecord[]> {
    const { sql, params } = workPoolListQuery(request, COLUMNS);
    return ((await this.dataSource.query(sql, params)) as WorkPoolRow[]).map(toWorkPoolRecord);
  }

  async count(criteria: WorkPoolCriteria): Promise<number> {
    const { sql, params } = workPoolCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  private async one(manager: EntityManager, sql: string, params: unknown[]): Promise<WorkPoolRecord | null> {
    const [row] = (await manager.query(sql, params)) as WorkPoolRow[];
    return row === undefined ? null : toWorkPoolRecord(row);
  }
}
