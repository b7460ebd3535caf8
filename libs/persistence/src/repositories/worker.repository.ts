import { Inject, Injectable } from '@nestjs/common';
import { Instant, type ListRequest, uuid7, type WorkerCriteria } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import type { WorkerStatus } from '../entities/status-enums';
import { workerListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

export interface WorkerRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly workPoolId: string;
  readonly lastHeartbeatTime: Instant;
  readonly heartbeatIntervalSeconds: number | null;
  readonly status: WorkerStatus;
}

interface WorkerRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  work_pool_id: string;
  last_heartbeat_time: string;
  heartbeat_interval_seconds: number | null;
  status: WorkerStatus;
}

const COLUMNS =
  'worker.id, worker.created, worker.updated, worker.name, worker.work_pool_id, worker.last_heartbeat_time, ' +
  'worker.heartbeat_interval_seconds, worker.status';

/*
 * Workers of a pool (spec-api-orchestration §2.3, §6.2 step 4). Serving indexes:
 * uq_worker__work_pool_id_name (the heartbeat upsert, delete by name),
 * ix_worker__work_pool_id_last_heartbeat_time (the filter's order).
 */
const SQL = {
  // A heartbeat without an interval keeps the one stored before (upstream only sets it when given).
  heartbeat: `INSERT INTO worker (id, work_pool_id, name, last_heartbeat_time, heartbeat_interval_seconds, status)
      VALUES ($1, $2, $3, now(), $4, 'ONLINE')
      ON CONFLICT (work_pool_id, name) DO UPDATE SET last_heartbeat_time = now(), status = 'ONLINE',
        heartbeat_interval_seconds = coalesce(EXCLUDED.heartbeat_interval_seconds, worker.heartbeat_interval_seconds),
        updated = now()`,
  delete: `WITH gone AS (DELETE FROM worker WHERE work_pool_id = $1 AND name = $2 RETURNING id) SELECT id FROM gone`,
} as const;

function toWorkerRecord(row: WorkerRow): WorkerRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    workPoolId: row.work_pool_id,
    lastHeartbeatTime: Instant.parse(row.last_heartbeat_time),
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds,
    status: row.status,
  };
}

@Injectable()
export class WorkerRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Upserts the worker ONLINE with a fresh heartbeat (race-safe on (work_pool_id, name)). */
  async heartbeat(
    manager: EntityManager,
    workPoolId: string,
    name: string,
    heartbeatIntervalSeconds: number | null,
  ): Promise<void> {
    await manager.query(SQL.heartbeat, [uuid7(), workPoolId, name, heartbeatIntervalSeconds]);
  }

  /** `POST /work_pools/{pool}/workers/filter`: most recent heartbeat first. */
  async list(workPoolId: string, request: ListRequest<WorkerCriteria>): Promise<WorkerRecord[]> {
    const { sql, params } = workerListQuery(workPoolId, request, COLUMNS);
    return ((await this.dataSource.query(sql, params)) as WorkerRow[]).map(toWorkerRecord);
  }

  /** Returns false when the pool has no worker of that name. */
  async delete(workPoolId: string, name: string): Promise<boolean> {
    const rows = (await this.dataSource.query(SQL.delete, [workPoolId, name])) as unknown[];
    return rows.length > 0;
  }
}
