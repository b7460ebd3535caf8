import { Injectable } from '@nestjs/common';
import type { Firing, TriggeredAction, TriggeringEvent } from '@orrery/automations';
import {
  DeploymentRepository,
  FlowRepository,
  FlowRunRepository,
  TaskRunRepository,
  VariableRepository,
  WorkPoolRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { firstResourceOfKind, idFromResourceId } from './resources';

/** `someField` → `some_field`. */
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A stored record as templates see it: snake_case keys (Prefect's field names), timestamps as ISO
 * strings, `__kind` for the URL filters. Plain data only.
 */
export function templateView(record: unknown, kind?: string): unknown {
  if (record === null || record === undefined) return null;
  if (Array.isArray(record)) return record.map((r) => templateView(r));
  if (typeof record !== 'object') return record;
  const maybeInstant = record as { toISOString?: () => string };
  if (typeof maybeInstant.toISOString === 'function') return maybeInstant.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'function') continue;
    out[snake(key)] = templateView(value);
  }
  if (kind !== undefined) out.__kind = kind;
  return out;
}

/** Dot-access for triggering labels: `labels.prefect.resource.id` and `labels["prefect.resource.id"]`. */
export function labelDiver(labels: Readonly<Record<string, string>>): Record<string, unknown> {
  const root: Record<string, unknown> = { ...labels };
  for (const [key, value] of Object.entries(labels)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1]!;
    if (!(last in node)) node[last] = value;
  }
  return root;
}

/** The state a run had when the event happened, from the event's `prefect.state-*` labels. */
function stateAtEvent(resource: Readonly<Record<string, string>>): Record<string, unknown> | null {
  const type = resource['prefect.state-type'];
  if (type === undefined) return null;
  return {
    type,
    name: resource['prefect.state-name'] ?? null,
    message: resource['prefect.state-message'] ?? '',
    timestamp: resource['prefect.state-timestamp'] ?? null,
  };
}

function allFirings(firing: Firing): Firing[] {
  return [firing, ...firing.triggering_firings.flatMap(allFirings)];
}

const OBJECTS = [
  'flow_run',
  'task_run',
  'deployment',
  'flow',
  'work_pool',
  'work_queue',
  'variables',
] as const;

/** Builds §5.8's template context, fetching only the objects the templates mention. */
@Injectable()
export class TemplateContextBuilder {
  constructor(
    private readonly flowRuns: FlowRunRepository,
    private readonly taskRuns: TaskRunRepository,
    private readonly deployments: DeploymentRepository,
    private readonly flows: FlowRepository,
    private readonly pools: WorkPoolRepository,
    private readonly queues: WorkQueueRepository,
    private readonly variables: VariableRepository,
  ) {}

  async build(templates: readonly string[], action: TriggeredAction): Promise<Record<string, unknown>> {
    const event = action.triggering_event;
    const context: Record<string, unknown> = {
      automation: templateView(action.automation, 'automation'),
      event,
      labels: labelDiver(action.triggering_labels),
      firing: action.firing,
      firings: action.firing === null ? [] : allFirings(action.firing),
      events: event === null ? [] : [event],
    };
    const text = templates.join('\n');
    const needed = OBJECTS.filter((name) => text.includes(name));
    const values = await Promise.all(needed.map((name) => this.object(name, event, text)));
    needed.forEach((name, i) => (context[name] = values[i]));
    return context;
  }

  private async object(
    name: (typeof OBJECTS)[number],
    event: TriggeringEvent | null,
    text: string,
  ): Promise<unknown> {
    if (name === 'variables') return this.workspaceVariables(text);
    if (event === null) return null;
    const kindName = name.replace('_', '-');
    const kind = `prefect.${kindName}`;
    const resource = firstResourceOfKind(event, kind);
    if (resource === null) return null;
    const id = idFromResourceId(resource['prefect.resource.id'] ?? '', kind);
    if (id === null) return null;
    switch (name) {
      case 'flow_run':
      case 'task_run': {
        const record = name === 'flow_run' ? await this.flowRuns.get(id) : await this.taskRuns.get(id);
        const view = templateView(record, kindName) as Record<string, unknown> | null;
        const state = stateAtEvent(resource);
        if (view !== null && state !== null) {
          view.state = state;
          view.state_type = state.type;
          view.state_name = state.name;
        }
        return view;
      }
      case 'deployment':
        return templateView(await this.deployments.get(id), kindName);
      case 'flow':
        return templateView(await this.flows.get(id), kindName);
      case 'work_pool':
        return templateView(await this.pools.getById(id), kindName);
      case 'work_queue':
        return templateView(await this.queues.getById(id), kindName);
    }
  }

  /** The workspace variables a template names (`variables.x`, `variables['x']`), plus `extra`. */
  async workspaceVariables(text: string, extra: readonly string[] = []): Promise<Record<string, unknown>> {
    const names = new Set(extra);
    for (const m of text.matchAll(
      /variables\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([^'"]+)['"]\s*\])/g,
    )) {
      names.add(m[1] ?? m[2]!);
    }
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const variable = await this.variables.getByName(name);
      if (variable !== null) out[name] = variable.value;
    }
    return out;
  }
}
