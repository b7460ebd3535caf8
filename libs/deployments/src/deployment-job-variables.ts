import { runInputProblem } from '@orrery/runs';

/**
 * Why job variables do not fit a work pool's base job template (its `variables` JSON Schema), or
 * null. Deployments may leave `required` variables for the run to supply (`ignoreRequired`); a
 * run's merged variables must carry every required one that has no default (spec-api §6.1).
 */
export function jobVariablesProblem(
  jobVariables: Record<string, unknown>,
  baseJobTemplate: Record<string, unknown>,
  options: { ignoreRequired: boolean },
): string | null {
  const variables = baseJobTemplate.variables;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return null;
  const schema = { ...(variables as Record<string, unknown>) };
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown> | undefined>;
  if (options.ignoreRequired) delete schema.required;
  else if (Array.isArray(schema.required)) {
    // A required variable with a default is satisfied by the default.
    schema.required = (schema.required as unknown[]).filter(
      (name) =>
        typeof name !== 'string' || !(typeof properties[name] === 'object' && 'default' in properties[name]!),
    );
  }
  return runInputProblem(JSON.stringify(schema), jobVariables);
}
