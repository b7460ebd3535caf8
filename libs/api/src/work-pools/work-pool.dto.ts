import type { JsonObject, WorkPoolRecord } from '@orrery/persistence';
import { IsObject, IsOptional, IsString, Matches, Min, registerDecorator } from 'class-validator';
import { AbsentAllowed, IsInt32 } from '../common/validators';
import { NAME_PATTERN } from '../flows/flow.dto';
import { IsLaxBool } from '../common/lax-scalars';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';
import { documentReader, type JsonSchema } from '../openapi/validator-schema';

/** The placeholders of a job configuration value: `{{ name }}` (not `{{ prefect.… }}` references). */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * Why a template is invalid (upstream's `validate_base_job_template` messages), or null. `{}` is
 * valid; otherwise both keys are required and every placeholder used by a top-level string of
 * `job_configuration` must be a property of the `variables` schema.
 */
export function baseJobTemplateProblem(template: unknown): string | null {
  if (template === null || template === undefined) return null;
  if (typeof template !== 'object' || Array.isArray(template)) return null; // the type check reports it
  const value = template as Record<string, unknown>;
  if (Object.keys(value).length === 0) return null;
  const jobConfiguration = value.job_configuration;
  const variables = value.variables;
  if (jobConfiguration == null || variables == null)
    return 'The `base_job_template` must contain both a `job_configuration` key and a `variables` key.';
  const used = new Set<string>();
  if (typeof jobConfiguration === 'object') {
    for (const entry of Object.values(jobConfiguration as Record<string, unknown>)) {
      if (typeof entry !== 'string') continue;
      for (const match of entry.matchAll(PLACEHOLDER)) {
        const name = match[1]!;
        // Block documents, variables and env references are resolved elsewhere, not declared.
        if (!name.startsWith('prefect.')) used.add(name);
      }
    }
  }
  const properties =
    typeof variables === 'object' && (variables as Record<string, unknown>).properties !== null
      ? ((variables as Record<string, unknown>).properties as Record<string, unknown> | undefined)
      : undefined;
  const declared = new Set(Object.keys(properties ?? {}));
  const missing = [...used].filter((name) => !declared.has(name));
  if (missing.length === 0) return null;
  return (
    'The variables specified in the job configuration template must be present as properties in the ' +
    `variables schema. Your job configuration uses the following undeclared variable(s): ${missing.join(' ,')}.`
  );
}

function IsBaseJobTemplate(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isBaseJobTemplate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args) => `Value error, ${baseJobTemplateProblem(args.value) ?? ''}` },
      validator: { validate: (value: unknown) => baseJobTemplateProblem(value) === null },
    });
  };
}

/** `WorkPoolCreate`: the body of `POST /work_pools/`. */
export class WorkPoolCreateDto {
  @IsString()
  @Matches(NAME_PATTERN)
  name!: string;

  @IsOptional()
  @IsString()
  description: string | null = null;

  @AbsentAllowed()
  @IsString()
  type = 'prefect-agent';

  @AbsentAllowed()
  @IsObject()
  @IsBaseJobTemplate()
  base_job_template: JsonObject = {};

  @AbsentAllowed()
  @IsLaxBool()
  is_paused = false;

  @IsOptional()
  @IsInt32()
  @Min(0)
  concurrency_limit: number | null = null;

  @AbsentAllowed()
  @IsObject()
  storage_configuration: JsonObject = {};
}

/** `WorkPoolUpdate`: the body of `PATCH /work_pools/{name}`; only the keys present are written. */
export class WorkPoolUpdateDto {
  @IsOptional()
  @IsString()
  description?: string | null;

  @IsOptional()
  @IsLaxBool()
  is_paused?: boolean | null;

  @IsOptional()
  @IsObject()
  @IsBaseJobTemplate()
  base_job_template?: JsonObject | null;

  @IsOptional()
  @IsInt32()
  @Min(0)
  concurrency_limit?: number | null;

  @IsOptional()
  @IsObject()
  storage_configuration?: JsonObject | null;
}

/** Every key present, except the result-storage block for clients that predate it. */
export const STORAGE_CONFIGURATION = wireModel(
  'WorkPoolStorageConfiguration',
  {
    bundle_upload_step: wire.nullable(wire.dict()),
    bundle_execution_step: wire.nullable(wire.dict()),
    default_result_storage_block_id: wire.nullable(wire.uuid()),
  },
  { optional: ['default_result_storage_block_id'] },
);

/** A `prefect-agent` pool reports no status. */
export const WORK_POOL = wireModel('WorkPoolResponse', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  description: wire.nullable(wire.string()),
  type: wire.string(),
  base_job_template: wire.dict(),
  is_paused: wire.boolean(),
  concurrency_limit: wire.nullable(wire.integer()),
  status: wire.nullable(wire.enum(['READY', 'NOT_READY', 'PAUSED'] as const)),
  default_queue_id: wire.nullable(wire.uuid()),
  storage_configuration: STORAGE_CONFIGURATION,
  active_slots: wire.nullable(wire.integer()),
});

/** `WorkPoolStorageConfiguration` with every key present. */
function storageConfiguration(config: JsonObject): {
  bundle_upload_step: unknown;
  bundle_execution_step: unknown;
  default_result_storage_block_id?: unknown;
} {
  return {
    bundle_upload_step: config.bundle_upload_step ?? null,
    bundle_execution_step: config.bundle_execution_step ?? null,
    default_result_storage_block_id: config.default_result_storage_block_id ?? null,
  };
}

/**
 * True for clients that predate `storage_configuration.default_result_storage_block_id`
 * (`User-Agent: prefect/<version>` ≤ 3.3.7): their models forbid the unknown key.
 */
export function isLegacyStorageClient(userAgent: string | undefined): boolean {
  const match = /^prefect\/(\d+)\.(\d+)\.(\d+)/.exec(userAgent ?? '');
  if (match === null) return false;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return major !== 3 ? major < 3 : minor !== 3 ? minor < 3 : patch <= 7;
}

/** `WorkPoolResponse` on the wire; a `prefect-agent` pool reports no status (upstream). */
export function workPoolResponse(
  pool: WorkPoolRecord,
  legacyStorageClient = false,
): WireOf<typeof WORK_POOL> {
  const storage = storageConfiguration(pool.storageConfiguration);
  if (legacyStorageClient) delete storage.default_result_storage_block_id;
  return {
    id: pool.id,
    created: pool.created.toISOString(),
    updated: pool.updated.toISOString(),
    name: pool.name,
    description: pool.description,
    type: pool.type,
    base_job_template: pool.baseJobTemplate,
    is_paused: pool.isPaused,
    concurrency_limit: pool.concurrencyLimit,
    status: pool.type === 'prefect-agent' ? null : pool.status,
    default_queue_id: pool.defaultQueueId,
    storage_configuration: storage,
    active_slots: pool.activeSlots,
  };
}

/**
 * `storage_configuration` is stored as sent and these three keys are read back (any value is kept);
 * the schema names them without typing what is not checked.
 */
const STORAGE_CONFIGURATION_INPUT: JsonSchema = {
  type: 'object',
  properties: { bundle_upload_step: {}, bundle_execution_step: {}, default_result_storage_block_id: {} },
};
documentReader(WorkPoolCreateDto, 'storage_configuration', STORAGE_CONFIGURATION_INPUT);
documentReader(WorkPoolUpdateDto, 'storage_configuration', STORAGE_CONFIGURATION_INPUT);
