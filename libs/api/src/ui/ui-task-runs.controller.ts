import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  type DeploymentFilter,
  type FlowFilter,
  type FlowRunFilter,
  Instant,
  STATE_TYPES,
  TERMINAL_STATE_TYPES,
  type TaskRunCriteria,
  type TaskRunFilter,
  type WorkPoolFilter,
  type WorkQueueFilter,
} from '@orrery/domain';
import { UiTaskRunsRepository } from '@orrery/persistence';
import { DeploymentFilterDto } from '../filters/deployment-filter.dto';
import { FlowFilterDto } from '../filters/flow-filter.dto';
import { FlowRunFilterDto } from '../filters/flow-run-filter.dto';
import type { FilterBodySpec } from '../filters/list-body.parser';
import { TaskRunFilterDto } from '../filters/task-run-filter.dto';
import { WorkPoolFilterDto } from '../filters/work-pool-filter.dto';
import { WorkQueueFilterDto } from '../filters/work-queue-filter.dto';
import { PrefectHttpError } from '../http/prefect-http.error';
import type { ValidationIssue } from '@orrery/domain';
import { bodyFields, readCriteria, throwIfAny } from '../run-history/body-fields';
import { ApiEmbeddedBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire, wireModel } from '../openapi/wire-schema';

export interface DashboardFilters {
  flows?: FlowFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  deployments?: DeploymentFilter | null;
  work_pools?: WorkPoolFilter | null;
  work_queues?: WorkQueueFilter | null;
}

export const DASHBOARD_FILTERS: FilterBodySpec<DashboardFilters> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
    work_pools: WorkPoolFilterDto,
    work_queues: WorkQueueFilterDto,
  },
};

export const COUNT_FILTERS: FilterBodySpec<
  Pick<TaskRunCriteria, 'flows' | 'flow_runs' | 'task_runs' | 'deployments'>
> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
  },
};

const MINUTE_MICROS = 60_000_000;

/** The minute `instant` falls in: its first and its last microsecond (Prefect's `end_of_period(…, "minute")`). */
function minuteOf(instant: Instant): { start: Instant; end: Instant } {
  const start = Math.floor(instant.epochMicros / MINUTE_MICROS) * MINUTE_MICROS;
  return { start: Instant.fromEpochMicros(start), end: Instant.fromEpochMicros(start + MINUTE_MICROS - 1) };
}

/** `/api/ui/task_runs/*`: the dashboard's task-run chart and the per-state counters. */
@Controller('ui/task_runs')
export class UiTaskRunsController {
  constructor(private readonly taskRuns: UiTaskRunsRepository) {}

  /**
   * Twenty `{completed, failed}` buckets of the terminal task runs started between the minute of
   * `task_runs.start_time.after_` (required) and the end of the minute of `before_` (default: now).
   * The body's own state filter is replaced by "terminal", as Prefect does.
   */
  @ApiEmbeddedBody(DASHBOARD_FILTERS, {}, ['task_runs'])
  @ApiWireResponse(
    wire.array(wireModel('TaskRunCount', { completed: wire.integer(), failed: wire.integer() })),
  )
  @Post('dashboard/counts')
  @HttpCode(200)
  async dashboardCounts(@Body() body: unknown): Promise<Array<{ completed: number; failed: number }>> {
    const fields = bodyFields(body);
    const issues: ValidationIssue[] = [];
    if (fields.task_runs === undefined || fields.task_runs === null) {
      issues.push({ type: 'missing', loc: ['body', 'task_runs'], msg: 'Field required', input: null });
    }
    const filters = readCriteria(DASHBOARD_FILTERS, fields, issues);
    throwIfAny(issues);
    const { work_queues, task_runs, ...rest } = filters!;
    const after = task_runs?.start_time?.after_;
    if (after == null) throw PrefectHttpError.unprocessable('task_runs.start_time.after_ is required');
    const before = task_runs?.start_time?.before_;
    const criteria: TaskRunCriteria = {
      ...rest,
      work_pool_queues: work_queues,
      task_runs: { ...task_runs, state: { type: { any_: [...TERMINAL_STATE_TYPES] } } },
    };
    return this.taskRuns.dashboardCounts(criteria, {
      start: minuteOf(after).start,
      end: minuteOf(before ?? Instant.now()).end,
    });
  }

  /** Every state type with its count of matching task runs (0 when none). */
  @ApiEmbeddedBody(COUNT_FILTERS, {})
  @ApiWireResponse(
    wireModel('CountByState', Object.fromEntries(STATE_TYPES.map((type) => [type, wire.integer()]))),
  )
  @Post('count')
  @HttpCode(200)
  countByState(@Body() body: unknown): Promise<Record<string, number>> {
    const fields = bodyFields(body);
    const issues: ValidationIssue[] = [];
    const criteria = readCriteria(COUNT_FILTERS, fields, issues);
    throwIfAny(issues);
    return this.taskRuns.countByState(criteria!);
  }
}
