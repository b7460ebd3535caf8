import { Inject, Injectable } from '@nestjs/common';
import { type DeploymentCriteria, type DeploymentSort, Instant, type ListRequest } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { deploymentCountQuery, deploymentListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';
import type { Labels } from './flow.repository';
import {
  type DeploymentColumns,
  type DeploymentConcurrencyLimitRecord,
  type DeploymentRecord,
  type DeploymentRow,
  type DeploymentScheduleRecord,
  type DeploymentScheduleRow,
  JSON_COLUMNS,
  type NewDeploymentSchedule,
  toDeploymentRecord,
  toDeploymentScheduleRecord,
} from './deployment.records';

/** Every deployment column, plus its flow's name and its queue's pool (one index lookup each). */
const SELECT = `deployment.*,
  (SELECT flow.name FROM flow WHERE flow.id = deployment.flow_id) AS flow_name,
  (SELECT wq.work_pool_id FROM work_queue wq WHERE wq.id = deployment.work_queue_id) AS work_pool_id,
  (SELECT wp.name FROM work_queue wq JOIN work_pool wp ON wp.id = wq.work_pool_id
    WHERE wq.id = deployment.work_queue_id) AS work_pool_name`;

const SCHEDULE_COLUMNS =
  'id, created, updated, deployment_id, schedule, active, max_scheduled_runs, parameters, slug';

/** The v2 limit that materialises a deployment's numeric `concurrency_limit`. */
export const deploymentLimitName = (deploymentId: string): string => `deployment:${deploymentId}`;

/*
 * Deployments, their schedules and their `deployment:<id>` concurrency limits. Serving indexes:
 * uq_deployment__flow_id_name (upsert, read by name), pk_deployment, ix_deployment_schedule__deployment_id,
 * ix_deployment_schedule__deployment_id__slug, uq_concurrency_limit_v2__name, and for the run
 * housekeeping the partial index on flow_run (deployment_id, auto_scheduled, next_scheduled_start_time)
 * WHERE state_type = 'SCHEDULED'.
 */
const SQL = {
  byId: `SELECT ${SELECT} FROM deployment WHERE deployment.id = $1`,
  lockById: `SELECT ${SELECT} FROM deployment WHERE deployment.id = $1 FOR UPDATE`,
  byName: `SELECT ${SELECT} FROM deployment JOIN flow f ON f.id = deployment.flow_id
    WHERE f.name = $1 AND deployment.name = $2`,
  byFlowAndName: `SELECT ${SELECT} FROM deployment WHERE deployment.flow_id = $1 AND deployment.name = $2`,
  flowLabels: `SELECT labels FROM flow WHERE id = $1`,
  byIds: `SELECT ${SELECT} FROM deployment WHERE deployment.id = ANY($1::uuid[])`,
  delete: `DELETE FROM deployment WHERE id = $1 RETURNING id`,
  schedulesOf: `SELECT ${SCHEDULE_COLUMNS} FROM deployment_schedule
    WHERE deployment_id = ANY($1::uuid[]) ORDER BY updated DESC, id`,
  scheduleById: `SELECT ${SCHEDULE_COLUMNS} FROM deployment_schedule WHERE deployment_id = $1 AND id = $2`,
  deleteSchedules: `DELETE FROM deployment_schedule WHERE deployment_id = $1`,
  deleteSchedule: `DELETE FROM deployment_schedule WHERE deployment_id = $1 AND id = $2 RETURNING id`,
  insertSchedule: `INSERT INTO deployment_schedule (deployment_id, schedule, active, max_scheduled_runs, parameters, slug)
    VALUES ($1, $2::jsonb, $3, $4, $5::jsonb, $6) RETURNING ${SCHEDULE_COLUMNS}`,
  updateSchedule: `UPDATE deployment_schedule
    SET schedule = $3::jsonb, active = $4, max_scheduled_runs = $5, parameters = $6::jsonb, slug = $7, updated = now()
    WHERE deployment_id = $1 AND id = $2`,
  limitsByIds: `SELECT id, created, updated, active, name, "limit",
      greatest(0, active_slots - floor(slot_decay_per_second * extract(epoch FROM now() - updated)))::int AS active_slots,
      slot_decay_per_second
    FROM concurrency_limit_v2 WHERE id = ANY($1::uuid[])`,
  blockDocumentExists: `SELECT 1 FROM block_document WHERE id = $1`,
  limitExists: `SELECT 1 FROM concurrency_limit_v2 WHERE id = $1`,
  upsertLimit: `INSERT INTO concurrency_limit_v2 (name, "limit") VALUES ($1, $2)
    ON CONFLICT (name) DO UPDATE SET "limit" = excluded."limit", updated = now() RETURNING id`,
  // Upstream `_create_or_update_deployment_concurrency_limit` / `_delete_related_concurrency_limit`:
  // a numeric concurrency_limit resizes whatever v2 limit the deployment links (its own
  // `deployment:<id>` or a global one), and null or a deleted deployment drops that linked limit.
  resizeLinkedLimit: `WITH up AS (UPDATE concurrency_limit_v2 SET "limit" = $2, updated = now()
      WHERE id = (SELECT concurrency_limit_id FROM deployment WHERE id = $1) RETURNING id)
    SELECT id FROM up`,
  deleteLinkedLimit: `DELETE FROM concurrency_limit_v2 WHERE id = (SELECT concurrency_limit_id FROM deployment WHERE id = $1)`,
  deleteLimitById: `DELETE FROM concurrency_limit_v2 WHERE id = $1`,
  // Housekeeping after an upsert or an update: the scheduler will make new runs from the new
  // definition. Runs waiting for a deployment concurrency slot are live work, never deleted.
  deleteFutureAutoScheduledRuns: `DELETE FROM flow_run WHERE deployment_id = $1 AND state_type = 'SCHEDULED'
    AND auto_scheduled AND next_scheduled_start_time >= now()
    AND state_name IS DISTINCT FROM 'AwaitingConcurrencySlot'`,
  deleteScheduledRuns: `DELETE FROM flow_run WHERE deployment_id = $1 AND state_type = 'SCHEDULED'
    AND state_name IS DISTINCT FROM 'AwaitingConcurrencySlot'`,
  // Polls change readiness, not the definition: `updated` is written back unchanged so the
  // recent-deployments scheduler does not take a poll for an edit.
  lockMany: `SELECT ${SELECT} FROM deployment WHERE deployment.id = ANY($1::uuid[]) ORDER BY deployment.id FOR UPDATE`,
  markReady: `UPDATE deployment SET status = 'READY', last_polled = now(), updated = updated
    WHERE id = ANY($1::uuid[]) RETURNING id`,
} as const;

@Injectable()
export class DeploymentRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Inserts the deployment, or on `(flow_id, name)` overwrites only the columns present in
   * `columns` (Prefect's upsert); `insertOnly` columns are written only into a new row. `created` tells which happened (xmax = 0 only for a fresh insert).
   */
  async upsert(
    manager: EntityManager,
    key: { flowId: string; name: string },
    columns: DeploymentColumns,
    insertOnly: DeploymentColumns = {},
  ): Promise<{ id: string; created: boolean }> {
    const all = { ...insertOnly, ...columns };
    const names = Object.keys(all) as (keyof DeploymentColumns)[];
    const params: unknown[] = [key.flowId, key.name];
    const placeholders = names.map((name) => {
      params.push(columnValue(name, all[name]));
      return `$${params.length}${JSON_COLUMNS.has(name) ? '::jsonb' : ''}`;
    });
    const overwritten = Object.keys(columns) as (keyof DeploymentColumns)[];
    const updates = [...overwritten.map((n) => `${n} = excluded.${n}`), 'updated = now()'];
    const sql = `INSERT INTO deployment (flow_id, name${names.map((n) => `, ${n}`).join('')})
      VALUES ($1, $2${placeholders.map((p) => `, ${p}`).join('')})
      ON CONFLICT (flow_id, name) DO UPDATE SET ${updates.join(', ')}
      RETURNING id, (xmax = 0) AS inserted`;
    const [row] = (await manager.query(sql, params)) as { id: string; inserted: boolean }[];
    if (row === undefined) throw new Error('the deployment upsert returned no row');
    return { id: row.id, created: row.inserted };
  }

  /** Writes the present columns and bumps `updated`. */
  async update(manager: EntityManager, id: string, columns: DeploymentColumns): Promise<void> {
    const names = Object.keys(columns) as (keyof DeploymentColumns)[];
    const params: unknown[] = [id];
    const sets = names.map((name) => {
      params.push(columnValue(name, columns[name]));
      return `${name} = $${params.length}${JSON_COLUMNS.has(name) ? '::jsonb' : ''}`;
    });
    await manager.query(
      `UPDATE deployment SET ${[...sets, 'updated = now()'].join(', ')} WHERE id = $1`,
      params,
    );
  }

  async get(id: string, manager?: EntityManager): Promise<DeploymentRecord | null> {
    return this.one(manager ?? this.dataSource.manager, SQL.byId, [id]);
  }

  /** Reads and row-locks the deployment for an update. */
  async lock(manager: EntityManager, id: string): Promise<DeploymentRecord | null> {
    return this.one(manager, SQL.lockById, [id]);
  }

  /** The deployment of that flow with that name, read inside the caller's transaction. */
  async getByFlowAndName(
    manager: EntityManager,
    flowId: string,
    name: string,
  ): Promise<DeploymentRecord | null> {
    return this.one(manager, SQL.byFlowAndName, [flowId, name]);
  }

  /** The flow's labels; undefined when there is no such flow. */
  async flowLabels(manager: EntityManager, flowId: string): Promise<Labels | null | undefined> {
    const [row] = (await manager.query(SQL.flowLabels, [flowId])) as { labels: Labels | null }[];
    return row === undefined ? undefined : row.labels;
  }

  async getByName(flowName: string, name: string): Promise<DeploymentRecord | null> {
    return this.one(this.dataSource.manager, SQL.byName, [flowName, name]);
  }

  /** Deletes the deployment, its SCHEDULED runs and its `deployment:<id>` limit; the deleted record or null. */
  async delete(manager: EntityManager, id: string): Promise<DeploymentRecord | null> {
    const existing = await this.lock(manager, id);
    if (existing === null) return null;
    await manager.query(SQL.deleteScheduledRuns, [id]);
    await manager.query(SQL.delete, [id]);
    if (existing.concurrencyLimitId !== null) {
      await manager.query(SQL.deleteLimitById, [existing.concurrencyLimitId]);
    }
    return existing;
  }

  async list(request: ListRequest<DeploymentCriteria, DeploymentSort>): Promise<DeploymentRecord[]> {
    const { sql, params } = deploymentListQuery(request, SELECT);
    return ((await this.dataSource.query(sql, params)) as DeploymentRow[]).map(toDeploymentRecord);
  }

  async count(criteria: DeploymentCriteria): Promise<number> {
    const { sql, params } = deploymentCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  /** The ids of up to `limit` matching deployments (name order), for bulk deletion. */
  async matchingIds(criteria: DeploymentCriteria, limit: number): Promise<string[]> {
    const { sql, params } = deploymentListQuery(
      { ...criteria, sort: 'NAME_ASC', limit, offset: 0 },
      'deployment.id',
    );
    return ((await this.dataSource.query(sql, params)) as { id: string }[]).map((r) => r.id);
  }

  /** The schedules of all the given deployments in one query, newest `updated` first. */
  async schedulesOf(
    deploymentIds: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, DeploymentScheduleRecord[]>> {
    const byDeployment = new Map<string, DeploymentScheduleRecord[]>(deploymentIds.map((id) => [id, []]));
    if (deploymentIds.length === 0) return byDeployment;
    const rows = (await (manager ?? this.dataSource.manager).query(SQL.schedulesOf, [
      deploymentIds,
    ])) as DeploymentScheduleRow[];
    for (const row of rows) byDeployment.get(row.deployment_id)?.push(toDeploymentScheduleRecord(row));
    return byDeployment;
  }

  async getSchedule(
    manager: EntityManager,
    deploymentId: string,
    scheduleId: string,
  ): Promise<DeploymentScheduleRecord | null> {
    const [row] = (await manager.query(SQL.scheduleById, [
      deploymentId,
      scheduleId,
    ])) as DeploymentScheduleRow[];
    return row === undefined ? null : toDeploymentScheduleRecord(row);
  }

  async deleteSchedules(manager: EntityManager, deploymentId: string): Promise<void> {
    await manager.query(SQL.deleteSchedules, [deploymentId]);
  }

  /** Returns false when the deployment has no such schedule. */
  async deleteSchedule(manager: EntityManager, deploymentId: string, scheduleId: string): Promise<boolean> {
    const [rows] = (await manager.query(SQL.deleteSchedule, [deploymentId, scheduleId])) as [
      unknown[],
      number,
    ];
    return rows.length > 0;
  }

  /** Inserts schedules in order; a duplicate slug raises the unique violation (→ 409). */
  async insertSchedules(
    manager: EntityManager,
    deploymentId: string,
    schedules: readonly NewDeploymentSchedule[],
  ): Promise<DeploymentScheduleRecord[]> {
    const created: DeploymentScheduleRecord[] = [];
    for (const s of schedules) {
      const [row] = (await manager.query(SQL.insertSchedule, [
        deploymentId,
        JSON.stringify(s.schedule),
        s.active,
        s.maxScheduledRuns,
        JSON.stringify(s.parameters),
        s.slug,
      ])) as DeploymentScheduleRow[];
      if (row !== undefined) created.push(toDeploymentScheduleRecord(row));
    }
    return created;
  }

  async updateSchedule(
    manager: EntityManager,
    deploymentId: string,
    schedule: DeploymentScheduleRecord,
  ): Promise<void> {
    await manager.query(SQL.updateSchedule, [
      deploymentId,
      schedule.id,
      JSON.stringify(schedule.schedule),
      schedule.active,
      schedule.maxScheduledRuns,
      JSON.stringify(schedule.parameters),
      schedule.slug,
    ]);
  }

  /** The global concurrency limits of a page of deployments, in one query. */
  async concurrencyLimits(
    limitIds: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, DeploymentConcurrencyLimitRecord>> {
    const ids = [...new Set(limitIds)];
    if (ids.length === 0) return new Map();
    const rows = (await (manager ?? this.dataSource.manager).query(SQL.limitsByIds, [ids])) as {
      id: string;
      created: string;
      updated: string;
      active: boolean;
      name: string;
      limit: number;
      active_slots: number;
      slot_decay_per_second: number;
    }[];
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          created: Instant.parse(r.created),
          updated: Instant.parse(r.updated),
          active: r.active,
          name: r.name,
          limit: r.limit,
          activeSlots: r.active_slots,
          slotDecayPerSecond: r.slot_decay_per_second,
        },
      ]),
    );
  }

  async blockDocumentExists(manager: EntityManager, id: string): Promise<boolean> {
    return ((await manager.query(SQL.blockDocumentExists, [id])) as unknown[]).length > 0;
  }

  async concurrencyLimitExists(manager: EntityManager, id: string): Promise<boolean> {
    return ((await manager.query(SQL.limitExists, [id])) as unknown[]).length > 0;
  }

  /**
   * Resizes the v2 limit the deployment links, or (none linked) creates or resizes its own
   * `deployment:<id>`; returns the limit's id.
   */
  async setDeploymentLimit(manager: EntityManager, deploymentId: string, limit: number): Promise<string> {
    const [linked] = (await manager.query(SQL.resizeLinkedLimit, [deploymentId, limit])) as { id: string }[];
    if (linked !== undefined) return linked.id;
    const [row] = (await manager.query(SQL.upsertLimit, [deploymentLimitName(deploymentId), limit])) as {
      id: string;
    }[];
    if (row === undefined) throw new Error('the concurrency limit upsert returned no row');
    return row.id;
  }

  /** Deletes the v2 limit the deployment links (the link nulls with it). */
  async deleteDeploymentLimit(manager: EntityManager, deploymentId: string): Promise<void> {
    await manager.query(SQL.deleteLinkedLimit, [deploymentId]);
  }

  async deleteFutureAutoScheduledRuns(manager: EntityManager, deploymentId: string): Promise<void> {
    await manager.query(SQL.deleteFutureAutoScheduledRuns, [deploymentId]);
  }

  /**
   * Runner polls: READY and `last_polled = now()` inside the caller's transaction; returns the
   * deployments that were NOT_READY before (they get a `prefect.deployment.ready` event).
   */
  async markReady(manager: EntityManager, deploymentIds: readonly string[]): Promise<DeploymentRecord[]> {
    if (deploymentIds.length === 0) return [];
    // Lock in id order so concurrent polls of overlapping sets cannot deadlock.
    const rows = (await manager.query(SQL.lockMany, [deploymentIds])) as DeploymentRow[];
    await manager.query(SQL.markReady, [rows.map((r) => r.id)]);
    return rows.filter((r) => r.status === 'NOT_READY').map(toDeploymentRecord);
  }

  private async one(
    manager: EntityManager,
    sql: string,
    params: unknown[],
  ): Promise<DeploymentRecord | null> {
    const [row] = (await manager.query(sql, params)) as DeploymentRow[];
    return row === undefined ? null : toDeploymentRecord(row);
  }
}

function columnValue(name: keyof DeploymentColumns, value: unknown): unknown {
  if (!JSON_COLUMNS.has(name)) return value;
  return value === null || value === undefined ? null : JSON.stringify(value);
}
