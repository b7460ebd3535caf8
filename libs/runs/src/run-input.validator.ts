import Ajv2020 from 'ajv/dist/2020';

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });

/**
 * Validates a resume's `run_input` against the JSON Schema the paused flow stored (Prefect uses a
 * Draft 2020-12 validator). Returns null when valid, otherwise the reason Prefect reports:
 * `Reason: …`, or the schema problems it names.
 */
export function runInputProblem(schemaJson: string, runInput: Record<string, unknown>): string | null {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaJson);
  } catch {
    return 'Run input schema is not valid JSON.';
  }
  if (typeof schema !== 'object' || schema === null) return 'Run input schema is not valid JSON.';
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch {
    return 'Invalid schema: Unable to resolve schema reference.';
  }
  if (validate(runInput)) return null;
  const error = validate.errors?.[0];
  const where = error?.instancePath ? ` at '${error.instancePath.slice(1).replaceAll('/', '.')}'` : '';
  return `Reason: ${error?.message ?? 'invalid run input'}${where}`;
}
