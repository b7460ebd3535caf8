import type { OperatorFilter } from './filter-criteria';

/** `VariableFilter` (body key `variables`). */
export interface VariableFilter extends OperatorFilter {
  id?: VariableFilterId | null;
  name?: VariableFilterName | null;
  tags?: VariableFilterTags | null;
}

export interface VariableFilterId {
  any_?: string[] | null;
}

export interface VariableFilterName {
  any_?: string[] | null;
  like_?: string | null;
}

export interface VariableFilterTags extends OperatorFilter {
  all_?: string[] | null;
  is_null_?: boolean | null;
}
