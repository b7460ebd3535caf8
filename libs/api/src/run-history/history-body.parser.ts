import type {
  DeploymentFilter,
  FlowFilter,
  FlowRunCriteria,
  FlowRunFilter,
  TaskRunCriteria,
  TaskRunFilter,
  WorkPoolFilter,
  WorkQueueFilter,
} from '@orrery/domain';
import type { HistoryWindow } from '@orrery/persistence';
import { DeploymentFilterDto } from '../filters/deployment-filter.dto';
import { FlowFilterDto } from '../filters/flow-filter.dto';
import { FlowRunFilterDto } from '../filters/flow-run-filter.dto';
import type { FilterBodySpec } from '../filters/list-body.parser';
import { TaskRunFilterDto } from '../filters/task-run-filter.dto';
import { WorkPoolFilterDto } from '../filters/work-pool-filter.dto';
import { WorkQueueFilterDto } from '../filters/work-queue-filter.dto';
import { PrefectHttpError } from '../http/prefect-http.error';
import type { ValidationIssue } from '@orrery/domain';
import { bodyFields, readCriteria, readDurationSeconds, readInstant, throwIfAny } from './body-fields';

/** The history endpoints name the queue filter `work_queues` (the list endpoints say `work_pool_queues`). */
export interface FlowRunHistoryFilters {
  flows?: FlowFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  deployments?: DeploymentFilter | null;
  work_pools?: WorkPoolFilter | null;
  work_queues?: WorkQueueFilter | null;
}

export type TaskRunHistoryFilters = Pick<
  TaskRunCriteria,
  'flows' | 'flow_runs' | 'task_runs' | 'deployments'
>;

export const FLOW_RUN_HISTORY_FILTERS: FilterBodySpec<FlowRunHistoryFilters> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
    work_pools: WorkPoolFilterDto,
    work_queues: WorkQueueFilterDto,
  },
};

export const TASK_RUN_HISTORY_FILTERS: FilterBodySpec<TaskRunHistoryFilters> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
  },
};

/** `history_start*`, `history_end*`, `history_interval_seconds*` (≥ 1, else Prefect's 422 detail). */
function readWindow(fields: Record<string, unknown>, issues: ValidationIssue[]): () => HistoryWindow {
  const start = readInstant(fields, 'history_start', issues);
  const end = readInstant(fields, 'history_end', issues);
  const intervalSeconds = readDurationSeconds(fields, 'history_interval_seconds', issues);
  return () => {
    if (intervalSeconds! < 1) {
      throw PrefectHttpError.unprocessable('History interval must not be less than 1 second.');
    }
    return { start: start!, end: end!, intervalSeconds: intervalSeconds! };
  };
}

export function parseFlowRunHistoryBody(body: unknown): { criteria: FlowRunCriteria; window: HistoryWindow } {
  const fields = bodyFields(body);
  const issues: ValidationIssue[] = [];
  const window = readWindow(fields, issues);
  const filters = readCriteria(FLOW_RUN_HISTORY_FILTERS, fields, issues);
  throwIfAny(issues);
  const { work_queues, ...rest } = filters!;
  return { criteria: { ...rest, work_pool_queues: work_queues }, window: window() };
}

export function parseTaskRunHistoryBody(body: unknown): { criteria: TaskRunCriteria; window: HistoryWindow } {
  const fields = bodyFields(body);
  const issues: ValidationIssue[] = [];
  const window = readWindow(fields, issues);
  const criteria = readCriteria(TASK_RUN_HISTORY_FILTERS, fields, issues);
  throwIfAny(issues);
  return { criteria: criteria!, window: window() };
}
