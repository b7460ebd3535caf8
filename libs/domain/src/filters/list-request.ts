import type { ArtifactCollectionFilter, ArtifactFilter } from './artifact.filters';
import type { AutomationFilter } from './automation.filters';
import type { BlockDocumentFilter, BlockSchemaFilter, BlockTypeFilter } from './block.filters';
import type { DeploymentFilter } from './deployment.filters';
import type { FlowRunFilter } from './flow-run.filters';
import type { FlowFilter } from './flow.filters';
import type { LogFilter } from './log.filters';
import type { TaskRunFilter } from './task-run.filters';
import type { VariableFilter } from './variable.filters';
import type { WorkerFilter, WorkPoolFilter, WorkQueueFilter } from './work-pool.filters';

/**
 * The filter keys each list/count endpoint family accepts (spec §7). A key that is present (even as
 * an empty object) applies its cross-object EXISTS; absent or null applies nothing.
 */
export interface FlowCriteria {
  flows?: FlowFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  deployments?: DeploymentFilter | null;
  work_pools?: WorkPoolFilter | null;
}

export interface FlowRunCriteria {
  flows?: FlowFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  deployments?: DeploymentFilter | null;
  work_pools?: WorkPoolFilter | null;
  work_pool_queues?: WorkQueueFilter | null;
}

/** `work_pools` / `work_pool_queues` only come from the UI dashboard helpers. */
export interface TaskRunCriteria {
  flows?: FlowFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  deployments?: DeploymentFilter | null;
  work_pools?: WorkPoolFilter | null;
  work_pool_queues?: WorkQueueFilter | null;
}

export interface DeploymentCriteria {
  flows?: FlowFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  deployments?: DeploymentFilter | null;
  work_pools?: WorkPoolFilter | null;
  work_pool_queues?: WorkQueueFilter | null;
}

export interface ArtifactCriteria {
  artifacts?: ArtifactFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  flows?: FlowFilter | null;
  deployments?: DeploymentFilter | null;
}

export interface ArtifactCollectionCriteria {
  artifacts?: ArtifactCollectionFilter | null;
  flow_runs?: FlowRunFilter | null;
  task_runs?: TaskRunFilter | null;
  flows?: FlowFilter | null;
  deployments?: DeploymentFilter | null;
}

export interface LogCriteria {
  logs?: LogFilter | null;
}

export interface VariableCriteria {
  variables?: VariableFilter | null;
}

export interface WorkPoolCriteria {
  work_pools?: WorkPoolFilter | null;
}

export interface WorkQueueCriteria {
  work_queues?: WorkQueueFilter | null;
}

export interface WorkerCriteria {
  workers?: WorkerFilter | null;
}

export interface BlockTypeCriteria {
  block_types?: BlockTypeFilter | null;
  block_schemas?: BlockSchemaFilter | null;
}

export interface BlockSchemaCriteria {
  block_schemas?: BlockSchemaFilter | null;
}

export interface BlockDocumentCriteria {
  block_documents?: BlockDocumentFilter | null;
  block_types?: BlockTypeFilter | null;
  block_schemas?: BlockSchemaFilter | null;
}

export interface AutomationCriteria {
  automations?: AutomationFilter | null;
}

/** A validated page window: `limit` already defaulted and bounded, `offset` ≥ 0. */
export interface PageWindow {
  limit: number;
  offset: number;
}

/** What a `/filter` endpoint hands to its repository: criteria, a sort and a window. */
export type ListRequest<C, S extends string = never> = C &
  PageWindow &
  ([S] extends [never] ? unknown : { sort: S });

/** A `/paginate` request: a list request plus the 1-based page it stands for (`offset = (page-1)·limit`). */
export type PaginateRequest<C, S extends string = never> = ListRequest<C, S> & { page: number };

/** The `/paginate` response envelope. */
export interface PaginatedResult<T> {
  results: T[];
  count: number;
  limit: number;
  pages: number;
  page: number;
}

/** `pages = ceil(count / limit)`, and 0 when `limit` is 0 (Prefect's convention). */
export function paginated<T>(
  results: T[],
  count: number,
  request: { limit: number; page: number },
): PaginatedResult<T> {
  const pages = request.limit === 0 ? 0 : Math.ceil(count / request.limit);
  return { results, count, limit: request.limit, pages, page: request.page };
}
