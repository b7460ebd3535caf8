/**
 * Building blocks shared by every filter model (spec-api-orchestration §1.5). Keys keep Prefect's
 * snake_case because they are wire names. Every field is optional: absent or `null` means "no
 * constraint".
 */

/** How an object with an `operator` field combines its present criteria (default `and_`). */
export type FilterOperator = 'and_' | 'or_';

export const FILTER_OPERATORS: readonly FilterOperator[] = ['and_', 'or_'];

/** Marker for filter models that carry an `operator`. */
export interface OperatorFilter {
  operator?: FilterOperator | null;
}
