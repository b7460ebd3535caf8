import type { OperatorFilter } from './filter-criteria';

/** `FlowFilter` (body key `flows`). */
export interface FlowFilter extends OperatorFilter {
  id?: FlowFilterId | null;
  deployment?: FlowFilterDeployment | null;
  name?: FlowFilterName | null;
  tags?: FlowFilterTags | null;
}

export interface FlowFilterId {
  any_?: string[] | null;
  not_any_?: string[] | null;
}

/** `is_null_: true` → flows without any deployment; `false` → flows with at least one. */
export interface FlowFilterDeployment extends OperatorFilter {
  is_null_?: boolean | null;
}

export interface FlowFilterName {
  any_?: string[] | null;
  like_?: string | null;
}

export interface FlowFilterTags extends OperatorFilter {
  all_?: string[] | null;
  is_null_?: boolean | null;
}
