import type { Instant } from '../instant';
import type { OperatorFilter } from './filter-criteria';

/** `AutomationFilter` (body key `automations`). */
export interface AutomationFilter extends OperatorFilter {
  name?: AutomationFilterName | null;
  created?: AutomationFilterCreated | null;
  tags?: AutomationFilterTags | null;
}

export interface AutomationFilterName {
  any_?: string[] | null;
}

export interface AutomationFilterCreated {
  before_?: Instant | null;
}

export interface AutomationFilterTags extends OperatorFilter {
  all_?: string[] | null;
  any_?: string[] | null;
  is_null_?: boolean | null;
}
