import { Inject, Injectable } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

export interface OverdueRun {
  readonly id: string;
  readonly nextScheduledStartTime: Instant;
}

/*
 * The late-runs finder (spec-services-events-ha §2.2): runs still in the state named exactly
 * `Scheduled` whose start time passed more than the grace period ago. Only `Scheduled` qualifies, so
 * a run already marked `Late` (also SCHEDULED) is never found again.
 * Serving index: ix_flow_run__next_scheduled_start_time_asc, filtered on state_type/state_name.
 */
const SQL = {
  overdue: `SELECT id, next_scheduled_start_time FROM flow_run
      WHERE state_type = 'SCHEDULED' AND state_name = 'Scheduled' AND next_scheduled_start_time <= $1
      ORDER BY next_scheduled_start_time
      LIMIT $2`,
} as const;

@Injectable()
export class LateRunsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async findOverdue(dueBefore: Instant, limit: number): Promise<OverdueRun[]> {
    const rows = (await this.dataSource.query(SQL.overdue, [dueBefore.toISOString(), limit])) as {
      id: string;
      next_scheduled_start_time: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      nextScheduledStartTime: Instant.parse(r.next_scheduled_start_time),
    }));
  }
}
