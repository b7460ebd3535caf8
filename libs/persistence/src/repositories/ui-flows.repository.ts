import { Inject, Injectable } from '@nestjs/common';
import { Instant, type StateType } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { arrayLiteral } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

/** `SimpleNextFlowRun`: a flow's next scheduled run. */
export interface NextFlowRunRecord {
  readonly id: string;
  readonly flow_id: string;
  readonly name: string;
  readonly state_name: string;
  readonly state_type: StateType;
  readonly next_scheduled_start_time: Instant;
}

interface NextFlowRunRow {
  id: string;
  flow_id: string;
  name: string;
  state_name: string;
  state_type: StateType;
  next_scheduled_start_time: string;
}

const SQL = {
  /** Serving index: ix_deployment__flow_id. */
  countDeployments: `SELECT deployment.flow_id, count(*)::int AS count FROM deployment
      WHERE deployment.flow_id = ANY($1::uuid[]) GROUP BY deployment.flow_id`,
  /*
   * One lateral probe per requested flow: its SCHEDULED run with the earliest next scheduled start,
   * the first entry of the partial ix_flow_run__flow_id_scheduled_next_start (SCHEDULED runs only,
   * in this order). A run without a next scheduled start time is not "next".
   */
  nextRuns: `SELECT next_run.id, next_run.flow_id, next_run.name, next_run.state_name, next_run.state_type,
        next_run.next_scheduled_start_time
      FROM (SELECT DISTINCT unnest($1::uuid[]) AS flow_id) AS requested
      CROSS JOIN LATERAL (
        SELECT flow_run.id, flow_run.flow_id, flow_run.name, flow_run.state_name, flow_run.state_type,
          flow_run.next_scheduled_start_time
        FROM flow_run
        WHERE flow_run.flow_id = requested.flow_id
          AND flow_run.state_type = 'SCHEDULED'
          AND flow_run.next_scheduled_start_time IS NOT NULL
        ORDER BY flow_run.next_scheduled_start_time ASC, flow_run.id ASC
        LIMIT 1
      ) AS next_run`,
} as const;

/** The flows page's helpers (`/ui/flows/*`). */
@Injectable()
export class UiFlowsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Deployments per flow; flows without any are absent from the map. */
  async countDeployments(flowIds: readonly string[]): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(SQL.countDeployments, [arrayLiteral(flowIds)])) as {
      flow_id: string;
      count: number;
    }[];
    return new Map(rows.map((r) => [r.flow_id, Number(r.count)]));
  }

  /** Each flow's next scheduled run; flows without one are absent from the map. */
  async nextRuns(flowIds: readonly string[]): Promise<Map<string, NextFlowRunRecord>> {
    const rows = (await this.dataSource.query(SQL.nextRuns, [arrayLiteral(flowIds)])) as NextFlowRunRow[];
    return new Map(
      rows.map((r) => [
        r.flow_id,
        { ...r, next_scheduled_start_time: Instant.parse(r.next_scheduled_start_time) },
      ]),
    );
  }
}
