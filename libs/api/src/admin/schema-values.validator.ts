import { hydrateRunInput, RunInputHydrationError } from '@orrery/runs';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One entry of `SchemaValuesValidationResponse.errors`: a message, or errors nested by property / index. */
export type SchemaValueError =
  string | { property: string; errors: SchemaValueError[] } | { index: number; errors: SchemaValueError[] };

export interface SchemaValuesValidation {
  errors: SchemaValueError[];
  valid: boolean;
}

/** The schema itself is not valid JSON Schema (Prefect answers 422 `Invalid schema: …`). */
export class InvalidSchemaError extends Error {}

const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, validateFormats: true });
addFormats(ajv);

/** Python's repr of a JSON value, as jsonschema's messages show instances. */
function repr(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${repr(k)}: ${repr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** jsonschema's wording for the common keywords (the UI shows these next to the fields). */
function message(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  const data: unknown = error.data;
  switch (error.keyword) {
    case 'required':
      return `${repr(p.missingProperty)} is a required property`;
    case 'type':
      return `${repr(data)} is not of type ${String(p.type)
        .split(',')
        .map((t) => repr(t))
        .join(', ')}`;
    case 'enum':
      return `${repr(data)} is not one of ${repr(p.allowedValues)}`;
    case 'const':
      return `${repr(p.allowedValue)} was expected`;
    case 'minimum':
      return `${repr(data)} is less than the minimum of ${String(p.limit)}`;
    case 'maximum':
      return `${repr(data)} is greater than the maximum of ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `${repr(data)} is less than or equal to the minimum of ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `${repr(data)} is greater than or equal to the maximum of ${String(p.limit)}`;
    case 'minLength':
      return `${repr(data)} is too short`;
    case 'maxLength':
      return `${repr(data)} is too long`;
    case 'minItems':
      return `${repr(data)} is too short`;
    case 'maxItems':
      return `${repr(data)} is too long`;
    case 'pattern':
      return `${repr(data)} does not match ${repr(p.pattern)}`;
    case 'format':
      return `${repr(data)} is not a ${repr(p.format)}`;
    case 'additionalProperties':
      return `Additional properties are not allowed (${repr(p.additionalProperty)} was unexpected)`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** A value still holding a placeholder the server does not render (jinja, workspace variables). */
function isPlaceholder(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '__prefect_kind' in value;
}

/** The instance path as keys and indexes (an index only where the value there is an array). */
function pathOf(instancePath: string, root: unknown): (string | number)[] {
  const parts: (string | number)[] = [];
  let at: unknown = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at)) {
      parts.push(Number(key));
      at = at[Number(key)];
    } else {
      parts.push(key);
      at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
    }
  }
  return parts;
}

/** Nests each message under its path, as Prefect's `build_error_obj` does (a leaf is always a new entry). */
function place(tree: SchemaValueError[], path: (string | number)[], text: string): void {
  const [head, ...rest] = path;
  if (head === undefined) {
    tree.push(text);
    return;
  }
  const entryFor = (errors: SchemaValueError[]): SchemaValueError =>
    typeof head === 'number' ? { index: head, errors } : { property: head, errors };
  if (rest.length === 0) {
    tree.push(entryFor([text]));
    return;
  }
  let entry = tree.find(
    (e) =>
      typeof e === 'object' &&
      (typeof head === 'number' ? 'index' in e && e.index === head : 'property' in e && e.property === head),
  ) as { errors: SchemaValueError[] } | undefined;
  if (entry === undefined) {
    entry = entryFor([]) as { errors: SchemaValueError[] };
    tree.push(entry as SchemaValueError);
  }
  place(entry.errors, rest, text);
}

/**
 * `POST /ui/schemas/validate`: hydrates `values` (`__prefect_kind` placeholders), validates them
 * against `schema` (Draft 2020-12, every error) and nests the messages by property and index.
 * Placeholders that only render at run time (jinja, workspace variables) are not errors.
 */
export function validateSchemaValues(
  schema: Record<string, unknown>,
  values: Record<string, unknown>,
): SchemaValuesValidation {
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new InvalidSchemaError(`Invalid schema: ${error instanceof Error ? error.message : String(error)}`);
  }
  let hydrated: Record<string, unknown>;
  try {
    hydrated = hydrateRunInput(values);
  } catch (error) {
    if (error instanceof RunInputHydrationError) return { errors: [error.message], valid: false };
    throw error;
  }
  const errors: SchemaValueError[] = [];
  if (!validate(hydrated)) {
    for (const error of validate.errors ?? []) {
      if (isPlaceholder(error.data)) continue;
      // Composition keywords repeat what their branches said.
      if (['anyOf', 'oneOf', 'allOf', 'if', 'then', 'else'].includes(error.keyword)) continue;
      const path = pathOf(error.instancePath, hydrated);
      if (error.keyword === 'required')
        path.push(String((error.params as { missingProperty: string }).missingProperty));
      place(errors, path, message(error));
    }
  }
  return { errors, valid: errors.length === 0 };
}
