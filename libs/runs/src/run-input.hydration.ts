/** Raised for an input Prefect's hydration refuses; its message is Prefect's. */
export class RunInputHydrationError extends Error {
  override readonly name = 'RunInputHydrationError';
}

/** Marks a value hydration drops from its parent object or list. */
const REMOVE = Symbol('remove');

/**
 * Prefect's `schema_tools.hydrate` as `resume` calls it (raise on error, no Jinja or workspace
 * variable rendering): `{"__prefect_kind": …}` placeholders the UI's schema forms send become
 * values — `none` passes its `value` through, `json` parses its string `value` (a placeholder
 * without one is dropped from its parent), an unknown kind takes its `value`; `jinja` and
 * `workspace_variable` placeholders stay as sent since nothing renders them here. Other values are
 * walked and kept.
 */
export function hydrateRunInput(input: Record<string, unknown>): Record<string, unknown> {
  const hydrated = hydrate(input);
  return hydrated === REMOVE ? {} : (hydrated as Record<string, unknown>);
}

function hydrate(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(hydrate).filter((element) => element !== REMOVE);
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  if (!('__prefect_kind' in object)) {
    const result: Record<string, unknown> = {};
    for (const [key, element] of Object.entries(object)) {
      const hydrated = hydrate(element);
      if (hydrated !== REMOVE) result[key] = hydrated;
    }
    return result;
  }
  switch (object['__prefect_kind']) {
    case 'none':
      if (!('value' in object)) throw new RunInputHydrationError("Missing 'value' key in __prefect object");
      return hydrate(object['value']);
    case 'json': {
      if (!('value' in object)) return REMOVE;
      const inner =
        typeof object['value'] === 'object' && object['value'] !== null && !Array.isArray(object['value'])
          ? hydrate(object['value'])
          : object['value'];
      if (typeof inner !== 'string') return inner;
      try {
        return JSON.parse(inner) as unknown;
      } catch (error) {
        throw new RunInputHydrationError(`Invalid JSON: ${(error as Error).message}`);
      }
    }
    case 'jinja':
      if (!('template' in object))
        throw new RunInputHydrationError("Missing 'template' key in __prefect object");
      return object;
    case 'workspace_variable':
      return 'variable_name' in object ? object : REMOVE;
    default:
      return object['value'] ?? null;
  }
}
