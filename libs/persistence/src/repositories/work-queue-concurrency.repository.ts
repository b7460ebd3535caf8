import { Inject, Injectable } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';
import type { ActiveSlotsCounting } from './work-queue.repository';

/** A run holding one of a queue's slots (`FlowRunSlotSummary`). */
export interface SlotHolder {
  readonly id: string;
  readonly workQueueId: string;
  readonly name: string;
  readonly stateType: string | null;
  readonly stateName: string | null;
  readonly startTime: Instant | null;
  readonly stateTimestamp: Instant | null;
}

interface SlotHolderRow {
  id: string;
  work_queue_id: string;
  name: string;
  state_type: string | null;
  state_name: string | null;
  start_time: string | null;
  state_timestamp: string | null;
}

const HOLDING_STATES: Record<ActiveSlotsCounting, string[]> = {
  pool: ['PENDING', 'RUNNING'],
  legacy: ['PENDING', 'RUNNING', 'CANCELLING'],
};

const COLUMNS =
  'flow_run.id, flow_run.work_queue_id, flow_run.name, flow_run.state_type, flow_run.state_name, ' +
  'flow_run.start_time, flow_run.state_timestamp';

/*
 * Who holds the slots of queues (`/work_pools/{name}/concurrency_status`,
 * `/work_queues/{id}/concurrency_status`): runs of the queues in a slot-holding state, oldest state
 * first. Served by ix_flow_run__work_queue_id; the per-queue cut uses row_number() over it.
 */
const SQL = {
  counts: `SELECT work_queue_id, count(*)::int AS count FROM flow_run
      WHERE work_queue_id = ANY($1::uuid[]) AND state_type = ANY($2::state_type[]) GROUP BY work_queue_id`,
  firstPerQueue: `SELECT ${COLUMNS} FROM (
        SELECT flow_run.*, row_number() OVER (
          PARTITION BY flow_run.work_queue_id ORDER BY flow_run.state_timestamp ASC, flow_run.id) AS n
        FROM flow_run WHERE flow_run.work_queue_id = ANY($1::uuid[]) AND flow_run.state_type = ANY($2::state_type[])
      ) flow_run WHERE flow_run.n <= $3 ORDER BY flow_run.state_timestamp ASC, flow_run.id`,
  pageOfQueue: `SELECT ${COLUMNS} FROM flow_run
      WHERE flow_run.work_queue_id = $1 AND flow_run.state_type = ANY($2::state_type[])
      ORDER BY flow_run.state_timestamp ASC, flow_run.id LIMIT $3 OFFSET $4`,
} as const;

function toSlotHolder(row: SlotHolderRow): SlotHolder {
  return {
    id: row.id,
    workQueueId: row.work_queue_id,
    name: row.name,
    stateType: row.state_type,
    stateName: row.state_name,
    startTime: row.start_time === null ? null : Instant.parse(row.start_time),
    stateTimestamp: row.state_timestamp === null ? null : Instant.parse(row.state_timestamp),
  };
}

@Injectable()
export class WorkQueueConcurrencyRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Slot-holding runs per queue (queues without any are absent). */
  async counts(queueIds: readonly string[], counting: ActiveSlotsCounting): Promise<Map<string, number>> {
    if (queueIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(SQL.counts, [[...queueIds], HOLDING_STATES[counting]])) as {
      work_queue_id: string;
      count: number;
    }[];
    return new Map(rows.map((r) => [r.work_queue_id, r.count]));
  }

  /** The first `perQueue` slot holders of each queue, in one statement. */
  async firstPerQueue(queueIds: readonly string[], perQueue: number): Promise<SlotHolder[]> {
    if (queueIds.length === 0 || perQueue === 0) return [];
    const rows = (await this.dataSource.query(SQL.firstPerQueue, [
      [...queueIds],
      HOLDING_STATES.pool,
      perQueue,
    ])) as SlotHolderRow[];
    return rows.map(toSlotHolder);
  }

  /** One page of a queue's slot holders. */
  async pageOfQueue(
    queueId: string,
    counting: ActiveSlotsCounting,
    limit: number,
    offset: number,
  ): Promise<SlotHolder[]> {
    const rows = (await this.dataSource.query(SQL.pageOfQueue, [
      queueId,
      HOLDING_STATES[counting],
      limit,
      offset,
    ])) as SlotHolderRow[];
    return rows.map(toSlotHolder);
  }
}
