import { ActionFailed } from './action-failed';
import { maybeTemplate, templateProblem } from './templates';

/** Hooks hydration renders through: a Jinja template, and a workspace variable by name. */
export interface HydrationHooks {
  renderJinja(template: string): string;
  variable(name: string): unknown;
}

/**
 * A plain string holding Jinja becomes a placeholder (upstream `_upgrade_v1_templates`): a single
 * `{{ expr }}` becomes JSON-typed through `| tojson`, mixed text a string template.
 */
export function upgradeV1Template(template: string): Record<string, unknown> {
  const stripped = template.trim();
  if (stripped.startsWith('{{') && stripped.endsWith('}}') && stripped.split('{{').length === 2) {
    const inner = stripped.slice(2, -2).trim();
    return {
      __prefect_kind: 'json',
      value: { __prefect_kind: 'jinja', template: `{{ ${inner} | tojson }}` },
    };
  }
  return { __prefect_kind: 'jinja', template };
}

function upgrade(value: unknown): unknown {
  if (typeof value === 'string') return maybeTemplate(value) ? upgradeV1Template(value) : value;
  if (Array.isArray(value)) return value.map(upgrade);
  if (typeof value === 'object' && value !== null) {
    if ('__prefect_kind' in value) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, upgrade(v)]));
  }
  return value;
}

const DROP = Symbol('drop');
const FAILED = 'Unable to create flow run from deployment';

function hydrate(value: unknown, hooks: HydrationHooks): unknown {
  if (Array.isArray(value)) return value.map((v) => hydrate(v, hooks)).filter((v) => v !== DROP);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  if (!('__prefect_kind' in object)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(object)) {
      const h = hydrate(v, hooks);
      if (h !== DROP) out[k] = h;
    }
    return out;
  }
  switch (object.__prefect_kind) {
    case 'none':
      return 'value' in object ? hydrate(object.value, hooks) : DROP;
    case 'json': {
      if (!('value' in object)) return DROP;
      const inner = hydrate(object.value, hooks);
      if (typeof inner !== 'string') return inner;
      try {
        return JSON.parse(inner) as unknown;
      } catch (error) {
        throw new ActionFailed(`${FAILED}: Invalid JSON: ${(error as Error).message}`);
      }
    }
    case 'jinja':
      if (typeof object.template !== 'string') {
        throw new ActionFailed(`${FAILED}: Missing 'template' key in __prefect object`);
      }
      return hooks.renderJinja(object.template);
    case 'workspace_variable': {
      if (typeof object.variable_name !== 'string') return DROP;
      const found = hooks.variable(object.variable_name);
      if (found === undefined)
        throw new ActionFailed(`${FAILED}: Variable '${object.variable_name}' not found`);
      return found;
    }
    default:
      return object.value ?? null;
  }
}

/** run-deployment's parameters: v1 templates upgraded, then `__prefect_kind` placeholders hydrated. */
export function hydrateActionParameters(
  parameters: Readonly<Record<string, unknown>> | null | undefined,
  hooks: HydrationHooks,
): Record<string, unknown> {
  const hydrated = hydrate(upgrade(structuredClone(parameters ?? {})), hooks);
  return hydrated === DROP ? {} : (hydrated as Record<string, unknown>);
}

/** Every Jinja template and workspace-variable name the parameters hold (to fetch what they need). */
export function parameterPlaceholders(parameters: Readonly<Record<string, unknown>> | null | undefined): {
  templates: string[];
  variables: string[];
} {
  const templates: string[] = [];
  const variables: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const o = value as Record<string, unknown>;
    if (o.__prefect_kind === 'jinja' && typeof o.template === 'string') templates.push(o.template);
    if (o.__prefect_kind === 'workspace_variable' && typeof o.variable_name === 'string') {
      variables.push(o.variable_name);
    }
    Object.values(o).forEach(walk);
  };
  walk(upgrade(structuredClone(parameters ?? {})));
  return { templates, variables };
}

/**
 * What saving a run-deployment action checks in its parameters (upstream `validate_parameters`):
 * hydrated without rendering, each placeholder that can never hydrate — invalid JSON, a jinja
 * placeholder without its template or with invalid syntax — as `path: message`.
 */
export function parameterProblems(
  parameters: Readonly<Record<string, unknown>> | null | undefined,
): string[] {
  const problems: string[] = [];
  const at = (path: string, message: string): void => {
    problems.push(`${path === '' ? '' : `${path}: `}${message}`);
  };
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
    if (typeof value !== 'object' || value === null) return;
    const o = value as Record<string, unknown>;
    if (!('__prefect_kind' in o)) {
      for (const [k, v] of Object.entries(o)) walk(v, path === '' ? k : `${path}.${k}`);
      return;
    }
    if (o.__prefect_kind === 'json' && 'value' in o) {
      if (typeof o.value === 'string') {
        try {
          JSON.parse(o.value);
        } catch (error) {
          at(path, `Invalid JSON: ${(error as Error).message}`);
        }
      } else walk(o.value, path);
    }
    if (o.__prefect_kind === 'jinja') {
      if (typeof o.template !== 'string') return at(path, "Missing 'template' key in __prefect object");
      const problem = templateProblem(o.template);
      if (problem !== null) at(path, `Invalid jinja: ${problem}`);
    }
  };
  walk(upgrade(structuredClone(parameters ?? {})), '');
  return problems;
}
