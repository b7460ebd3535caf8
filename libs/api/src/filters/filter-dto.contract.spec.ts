import { ContractValidator, lazy } from '@orrery/testing';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { ArtifactCollectionFilterDto } from './artifact-collection-filter.dto';
import { ArtifactFilterDto } from './artifact-filter.dto';
import { AutomationFilterDto } from './automation-filter.dto';
import { BlockDocumentFilterDto } from './block-document-filter.dto';
import { BlockSchemaFilterDto } from './block-schema-filter.dto';
import { BlockTypeFilterDto } from './block-type-filter.dto';
import { DeploymentFilterDto } from './deployment-filter.dto';
import {
  ARTIFACT_BODY,
  ARTIFACT_COLLECTION_BODY,
  AUTOMATION_BODY,
  BLOCK_DOCUMENT_BODY,
  BLOCK_SCHEMA_BODY,
  BLOCK_TYPE_BODY,
  DEPLOYMENT_BODY,
  FLOW_BODY,
  FLOW_RUN_BODY,
  LOG_BODY,
  TASK_RUN_BODY,
  VARIABLE_BODY,
  WORK_POOL_BODY,
  WORK_QUEUE_BODY,
  WORKER_BODY,
} from './filter-bodies';
import { FlowFilterDto } from './flow-filter.dto';
import { FlowRunFilterDto } from './flow-run-filter.dto';
import type { FilterBodySpec, SortedFilterBodySpec } from './list-body.parser';
import { LogFilterDto } from './log-filter.dto';
import { TaskRunFilterDto } from './task-run-filter.dto';
import { VariableFilterDto } from './variable-filter.dto';
import { WorkPoolFilterDto } from './work-pool-filter.dto';
import { WorkQueueFilterDto } from './work-queue-filter.dto';
import { WorkerFilterDto } from './worker-filter.dto';

/**
 * The filter DTOs and body specs mirror the wire contract exactly: same keys at every nesting
 * level, same filter keys per endpoint body, same sort values and defaults.
 */

interface JsonSchema {
  $ref?: string;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  enum?: string[];
  default?: unknown;
}

const schemas = lazy(() => new ContractValidator().document.components.schemas as Record<string, JsonSchema>);

/** The schema name a property refers to (directly or through `anyOf [ref, null]`). */
function refName(property: JsonSchema): string | undefined {
  const ref = property.$ref ?? property.anyOf?.find((s) => s.$ref !== undefined)?.$ref;
  return ref?.split('/').pop();
}

function dtoKeys(dto: new () => object): string[] {
  const names = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set(names)].sort();
}

/** Walks the contract schema and the DTO side by side; returns every mismatch. */
function mismatches(schemaName: string, dto: new () => object, path: string): string[] {
  const schema = schemas[schemaName]!;
  const contractKeys = Object.keys(schema.properties ?? {}).sort();
  const problems: string[] = [];
  const keys = dtoKeys(dto);
  if (JSON.stringify(keys) !== JSON.stringify(contractKeys)) {
    problems.push(
      `${path} (${schemaName}): DTO keys ${keys.join(',')} ≠ contract keys ${contractKeys.join(',')}`,
    );
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const nested = refName(property);
    if (nested === undefined || schemas[nested]?.properties === undefined) continue;
    const instance = plainToInstance(dto, { [key]: {} }) as Record<string, object>;
    const nestedDto = instance[key]?.constructor as (new () => object) | undefined;
    if (nestedDto === undefined || nestedDto === Object) {
      problems.push(`${path}.${key}: no nested DTO class for ${nested}`);
      continue;
    }
    problems.push(...mismatches(nested, nestedDto, `${path}.${key}`));
  }
  return problems;
}

describe('filter DTOs against the contract', () => {
  it.each<[string, new () => object]>([
    ['FlowFilter', FlowFilterDto],
    ['FlowRunFilter', FlowRunFilterDto],
    ['TaskRunFilter', TaskRunFilterDto],
    ['DeploymentFilter', DeploymentFilterDto],
    ['WorkPoolFilter', WorkPoolFilterDto],
    ['WorkQueueFilter', WorkQueueFilterDto],
    ['WorkerFilter', WorkerFilterDto],
    ['LogFilter', LogFilterDto],
    ['ArtifactFilter', ArtifactFilterDto],
    ['ArtifactCollectionFilter', ArtifactCollectionFilterDto],
    ['VariableFilter', VariableFilterDto],
    ['BlockTypeFilter', BlockTypeFilterDto],
    ['BlockSchemaFilter', BlockSchemaFilterDto],
    ['BlockDocumentFilter', BlockDocumentFilterDto],
    ['AutomationFilter', AutomationFilterDto],
  ])('%s has exactly the contract keys at every level', (schemaName, dto) => {
    expect(mismatches(schemaName, dto, schemaName)).toEqual([]);
  });

  it.each<[string, FilterBodySpec<object> | SortedFilterBodySpec<object, string>]>([
    ['Body_read_flows_flows_filter_post', FLOW_BODY],
    ['Body_read_flow_runs_flow_runs_filter_post', FLOW_RUN_BODY],
    ['Body_read_task_runs_task_runs_filter_post', TASK_RUN_BODY],
    ['Body_read_deployments_deployments_filter_post', DEPLOYMENT_BODY],
    ['Body_read_logs_logs_filter_post', LOG_BODY],
    ['Body_read_artifacts_artifacts_filter_post', ARTIFACT_BODY],
    ['Body_read_latest_artifacts_artifacts_latest_filter_post', ARTIFACT_COLLECTION_BODY],
    ['Body_read_variables_variables_filter_post', VARIABLE_BODY],
    ['Body_read_block_documents_block_documents_filter_post', BLOCK_DOCUMENT_BODY],
    ['Body_read_automations_automations_filter_post', AUTOMATION_BODY],
    ['Body_read_work_pools_work_pools_filter_post', WORK_POOL_BODY],
    ['Body_read_work_queues_work_queues_filter_post', WORK_QUEUE_BODY],
    ['Body_read_workers_work_pools__work_pool_name__workers_filter_post', WORKER_BODY],
    ['Body_read_block_types_block_types_filter_post', BLOCK_TYPE_BODY],
    ['Body_read_block_schemas_block_schemas_filter_post', BLOCK_SCHEMA_BODY],
  ])('%s: same filter keys (and DTOs), same sort values and default', (bodyName, spec) => {
    const body = schemas[bodyName]!;
    const filterKeys = Object.entries(body.properties ?? {})
      .filter(([, p]) => refName(p)?.endsWith('Filter') === true)
      .map(([key, p]) => [key, refName(p)!] as const);
    expect(Object.keys(spec.filters).sort()).toEqual(filterKeys.map(([k]) => k).sort());
    for (const [key, schemaName] of filterKeys) {
      const dto = (spec.filters as Record<string, new () => object>)[key]!;
      expect(mismatches(schemaName, dto, `${bodyName}.${key}`)).toEqual([]);
    }
    const sort = body.properties?.sort;
    if (sort === undefined) {
      expect('sort' in spec).toBe(false);
    } else {
      const sorted = spec as SortedFilterBodySpec<object, string>;
      expect([...sorted.sort.values]).toEqual(schemas[refName(sort)!]!.enum);
      expect(sorted.sort.default).toBe(sort.default);
    }
  });
});
