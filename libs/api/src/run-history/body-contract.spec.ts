import { ContractValidator, lazy } from '@orrery/testing';
import { FLOW_RUN_BODY } from '../filters/filter-bodies';
import type { FilterBodySpec } from '../filters/list-body.parser';
import { UI_HISTORY_FILTERS, UI_HISTORY_MAX_LIMIT } from '../ui/ui-flow-runs.controller';
import { COUNT_FILTERS, DASHBOARD_FILTERS } from '../ui/ui-task-runs.controller';
import { FLOW_RUN_HISTORY_FILTERS, TASK_RUN_HISTORY_FILTERS } from './history-body.parser';

interface JsonSchema {
  $ref?: string;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  default?: unknown;
  maximum?: number;
}

const schemas = lazy(() => new ContractValidator().document.components.schemas as Record<string, JsonSchema>);

function refName(property: JsonSchema): string | undefined {
  const ref = property.$ref ?? property.anyOf?.find((s) => s.$ref !== undefined)?.$ref;
  return ref?.split('/').pop();
}

/** Each body key the parser reads, with the filter model it validates (DTO class name minus `Dto`). */
function readKeys(
  spec: FilterBodySpec<object>,
  scalars: readonly string[],
): Record<string, string | undefined> {
  const keys: Record<string, string | undefined> = Object.fromEntries(scalars.map((k) => [k, undefined]));
  for (const [key, dto] of Object.entries(spec.filters as Record<string, { name: string }>)) {
    keys[key] = dto.name.replace(/Dto$/, '');
  }
  return keys;
}

function contractKeys(schemaName: string, scalars: readonly string[]): Record<string, string | undefined> {
  const properties = schemas[schemaName]?.properties ?? {};
  return Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [
      key,
      scalars.includes(key) ? undefined : refName(property),
    ]),
  );
}

// The history, lateness and UI helper bodies read exactly the contract's keys, each filter key with
// the filter model the contract names.
describe('history, lateness and UI helper bodies against the contract', () => {
  const window = ['history_start', 'history_end', 'history_interval_seconds'];
  it.each([
    ['Body_flow_run_history_flow_runs_history_post', FLOW_RUN_HISTORY_FILTERS, window],
    ['Body_task_run_history_task_runs_history_post', TASK_RUN_HISTORY_FILTERS, window],
    ['Body_average_flow_run_lateness_flow_runs_lateness_post', FLOW_RUN_BODY, []],
    ['Body_read_flow_run_history_ui_flow_runs_history_post', UI_HISTORY_FILTERS, ['sort', 'limit', 'offset']],
    ['Body_read_dashboard_task_run_counts_ui_task_runs_dashboard_counts_post', DASHBOARD_FILTERS, []],
    ['Body_read_task_run_counts_by_state_ui_task_runs_count_post', COUNT_FILTERS, []],
  ] as Array<[string, FilterBodySpec<object>, string[]]>)('%s', (schemaName, spec, scalars) => {
    expect(readKeys(spec, scalars)).toEqual(contractKeys(schemaName, scalars));
  });

  it('the UI run history defaults to EXPECTED_START_TIME_DESC and at most 1000 runs', () => {
    const properties = schemas.Body_read_flow_run_history_ui_flow_runs_history_post!.properties!;
    expect(properties.sort!.default).toBe('EXPECTED_START_TIME_DESC');
    expect(properties.limit).toMatchObject({ default: UI_HISTORY_MAX_LIMIT, maximum: UI_HISTORY_MAX_LIMIT });
  });
});
