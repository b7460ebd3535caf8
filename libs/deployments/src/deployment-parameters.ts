import { hydrateRunInput, RunInputHydrationError, runInputProblem } from '@orrery/runs';
import { UseCaseError } from '@orrery/domain';

const NO_SCHEMA =
  'Cannot update parameters because parameter schema enforcement is enabled and the deployment does not have a valid parameter schema.';

/** `__prefect_kind` placeholders → values; Prefect answers a refused hydration with 400. */
export function hydrateParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  try {
    return hydrateRunInput(parameters);
  } catch (error) {
    if (error instanceof RunInputHydrationError) throw new UseCaseError(400, error.message);
    throw error;
  }
}

/**
 * Parameters checked against the deployment's schema when enforcement is on: 409 `<prefix>: …`
 * when they do not conform or when there is no schema to check them against. Deployment updates
 * ignore `required` (the run supplies the rest later); runs do not.
 */
export function checkParameters(
  parameters: Record<string, unknown>,
  schema: Record<string, unknown> | null,
  options: { prefix: string; ignoreRequired: boolean },
): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw UseCaseError.conflict(`${options.prefix}: ${NO_SCHEMA}`);
  }
  const problem = runInputProblem(
    JSON.stringify(options.ignoreRequired ? withoutRequired(schema) : schema),
    parameters,
  );
  if (problem !== null) throw UseCaseError.conflict(`${options.prefix}: ${problem}`);
}

/** The schema with every `required` list removed (a property named "required" is an object, kept). */
function withoutRequired(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequired);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !(key === 'required' && Array.isArray(v)))
      .map(([key, v]) => [key, withoutRequired(v)]),
  );
}
