import { Inject, Injectable } from '@nestjs/common';
import {
  type FlowRunCriteria,
  type FlowRunSort,
  Instant,
  type ListRequest,
  type StateType,
} from '@orrery/domain';
import { DataSource } from 'typeorm';
import { arrayLiteral, flowRunListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';
import { estimatedLatenessSeconds, estimatedRunTimeSeconds } from './run-history.sql';

/** `SimpleFlowRun`: one dot of the UI's run-history scatter plot. */
export interface SimpleFlowRunRecord {
  readonly id: string;
  readonly state_type: StateType | null;
  readonly timestamp: Instant;
  readonly duration: number;
  readonly lateness: number;
}

interface SimpleFlowRunRow {
  id: string;
  state_type: StateType | null;
  timestamp: string;
  duration: number;
  lateness: number;
}

/*
 * The dot's time is when the run started, or else when it is expected to; a run with neither (no
 * state was ever set) falls back to its creation, where Prefect would fail to answer at all.
 */
const SIMPLE_FLOW_RUN_COLUMNS = `flow_run.id, flow_run.state_type,
  COALESCE(flow_run.start_time, flow_run.expected_start_time, flow_run.created) AS "timestamp",
  ${estimatedRunTimeSeconds('flow_run')} AS duration,
  ${estimatedLatenessSeconds('flow_run')} AS lateness`;

/** Serving indexes: ix_task_run__flow_run_id; the subflow check ix_flow_run__parent_task_run_id. */
const COUNT_TASK_RUNS = `SELECT task_run.flow_run_id, count(*)::int AS count FROM task_run
    WHERE task_run.flow_run_id = ANY($1::uuid[])
      AND NOT EXISTS (SELECT 1 FROM flow_run subflow_run WHERE subflow_run.parent_task_run_id = task_run.id)
    GROUP BY task_run.flow_run_id`;

/** The flow-run pages' helpers (`/ui/flow_runs/*`). */
@Injectable()
export class UiFlowRunsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** `POST /ui/flow_runs/history`: the flow-run list statement (filters/flow-run-list.query.ts) with a narrow select. */
  async history(request: ListRequest<FlowRunCriteria, FlowRunSort>): Promise<SimpleFlowRunRecord[]> {
    const { sql, params } = flowRunListQuery(request, { select: SIMPLE_FLOW_RUN_COLUMNS });
    const rows = (await this.dataSource.query(sql, params)) as SimpleFlowRunRow[];
    return rows.map((r) => ({
      id: r.id,
      state_type: r.state_type,
      timestamp: Instant.parse(r.timestamp),
      duration: Number(r.duration),
      lateness: Number(r.lateness),
    }));
  }

  /** Task runs per flow run, not counting the task runs that stand for subflows (as Prefect). */
  async countTaskRuns(flowRunIds: readonly string[]): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(COUNT_TASK_RUNS, [arrayLiteral(flowRunIds)])) as {
      flow_run_id: string;
      count: number;
    }[];
    return new Map(rows.map((r) => [r.flow_run_id, Number(r.count)]));
  }
}
