import { Inject, Injectable } from '@nestjs/common';
import { type Instant } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/*
 * The pause-expirations finder (spec-services-events-ha §2.2): paused flow runs whose current
 * state's `pause_timeout` has passed. Serving index: ix_flow_run__state_type (PAUSED runs are few),
 * then pk_flow_run_state for the current state.
 */
const SQL = {
  expired: `SELECT fr.id FROM flow_run fr JOIN flow_run_state s ON s.id = fr.state_id
      WHERE fr.state_type = 'PAUSED'
        AND s.state_details ->> 'pause_timeout' IS NOT NULL
        AND (s.state_details ->> 'pause_timeout')::timestamptz < $1
      LIMIT $2`,
} as const;

@Injectable()
export class PauseExpirationsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async findExpired(now: Instant, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(SQL.expired, [now.toISOString(), limit])) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
