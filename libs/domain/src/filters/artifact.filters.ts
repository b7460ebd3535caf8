import type { OperatorFilter } from './filter-criteria';

/** `ArtifactFilter` (body key `artifacts` on `/artifacts/filter`). */
export interface ArtifactFilter extends OperatorFilter {
  id?: ArtifactFilterId | null;
  key?: ArtifactFilterKey | null;
  flow_run_id?: ArtifactFilterFlowRunId | null;
  task_run_id?: ArtifactFilterTaskRunId | null;
  type?: ArtifactFilterType | null;
}

export interface ArtifactFilterId {
  any_?: string[] | null;
}

/** `exists_: true` → keyed artifacts only; `false` → unkeyed only. */
export interface ArtifactFilterKey {
  any_?: string[] | null;
  like_?: string | null;
  exists_?: boolean | null;
}

export interface ArtifactFilterFlowRunId {
  any_?: string[] | null;
}

export interface ArtifactFilterTaskRunId {
  any_?: string[] | null;
}

export interface ArtifactFilterType {
  any_?: string[] | null;
  not_any_?: string[] | null;
}

/** `ArtifactCollectionFilter` (body key `artifacts` on `/artifacts/latest/filter`). */
export interface ArtifactCollectionFilter extends OperatorFilter {
  latest_id?: ArtifactCollectionFilterLatestId | null;
  key?: ArtifactFilterKey | null;
  flow_run_id?: ArtifactFilterFlowRunId | null;
  task_run_id?: ArtifactFilterTaskRunId | null;
  type?: ArtifactFilterType | null;
}

export interface ArtifactCollectionFilterLatestId {
  any_?: string[] | null;
}
