import { Injectable } from '@nestjs/common';
import { isUuid } from '@orrery/domain';
import { type JsonObject, WorkPoolRepository } from '@orrery/persistence';
import Ajv2020 from 'ajv/dist/2020';
import { PrefectHttpError } from '../http/prefect-http.error';

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });

/**
 * Checks a base job template's defaults against its own `variables` schema on pool create/update
 * (spec-api-orchestration §6.1, upstream `validate_job_variable_defaults_for_work_pool`):
 * `required` is ignored (only defaults are present), a `null` default passes (upstream allows None
 * where a default exists), block references must exist (404 "Block not found.") and are not
 * hydrated for validation (their data is encrypted at rest; upstream validates the hydrated data).
 */
@Injectable()
export class JobVariableDefaultsValidator {
  constructor(private readonly pools: WorkPoolRepository) {}

  async check(template: JsonObject): Promise<void> {
    const variables = template.variables;
    if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return;
    const schema = { ...(variables as Record<string, unknown>) };
    delete schema.required;
    // An $id would make Ajv refuse the second template that carries it (it registers ids).
    delete schema.$id;
    let validate;
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      throw PrefectHttpError.unprocessable(`Invalid schema: ${(error as Error).message}`);
    }
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown> | null>;
    const defaults: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(properties)) {
      if (field === null || typeof field !== 'object' || !('default' in field)) continue;
      const value = field.default;
      if (value === null) continue;
      if (typeof value === 'object' && !Array.isArray(value) && '$ref' in value) {
        await this.checkReference(value.$ref);
        continue;
      }
      defaults[name] = value;
    }
    if (validate(defaults)) return;
    const error = validate.errors?.[0];
    const field = error?.instancePath ? error.instancePath.slice(1).split('/')[0] : undefined;
    throw PrefectHttpError.unprocessable(
      "Validation failed for work pool's job variable defaults: " +
        `Validation failed for field '${field ?? ''}'. Failure reason: ${error?.message ?? 'invalid default'}`,
    );
  }

  private async checkReference(reference: unknown): Promise<void> {
    if (reference === null || typeof reference !== 'object') return;
    const id = (reference as Record<string, unknown>).block_document_id;
    if (id === undefined || id === null) return;
    if (typeof id !== 'string' || !isUuid(id) || !(await this.pools.blockDocumentExists(id)))
      throw PrefectHttpError.notFound('Block not found.');
  }
}
