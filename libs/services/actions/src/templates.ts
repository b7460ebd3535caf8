import nunjucks from 'nunjucks';

/** A template that failed to parse or render; the action fails with `template_error`/`template_source`. */
export class TemplateRenderError extends Error {
  override readonly name = 'TemplateRenderError';

  constructor(
    readonly error: string,
    readonly template: string,
  ) {
    super(error);
  }
}

/** Limits of §5.8 plus an output cap (Jinja's sandbox bounds loops; we also bound what comes out). */
export const TEMPLATE_LIMITS = { maxRange: 100, maxForLoops: 10, maxLoopDepth: 2, maxOutputChars: 100_000 };

/** Keys a template may never reach, whatever object it holds. */
const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__']);

/**
 * Member lookup of the sandbox: only own properties of plain data (objects, arrays, strings'
 * `length`), never a prototype, a function or an inherited method — `"".constructor.constructor`
 * and friends resolve to undefined, so a template cannot reach code.
 */
function safeLookup(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined) return undefined;
  const name = String(key);
  if (FORBIDDEN.has(name)) return undefined;
  if (typeof obj === 'string') return name === 'length' ? obj.length : undefined;
  if (typeof obj !== 'object') return undefined;
  if (!Object.prototype.hasOwnProperty.call(obj, name)) {
    return Array.isArray(obj) && name === 'length' ? obj.length : undefined;
  }
  const value = (obj as Record<string, unknown>)[name];
  return typeof value === 'function' ? undefined : value;
}

// nunjucks compiles `a.b` and `a["b"]` to runtime.memberLookup; every environment shares it.
(nunjucks.runtime as unknown as { memberLookup: typeof safeLookup }).memberLookup = safeLookup;

export interface TemplateFilters {
  /** PREFECT_UI_URL (null: links render as empty). */
  readonly uiUrl: string | null;
}

const UI_PATHS: Record<string, string> = {
  flow: 'flows/flow/',
  'flow-run': 'runs/flow-run/',
  'task-run': 'runs/task-run/',
  'block-document': 'blocks/block/',
  'work-pool': 'work-pools/work-pool/',
  'work-queue': 'work-queues/work-queue/',
  'concurrency-limit': 'concurrency-limits/concurrency-limit/',
  deployment: 'deployments/deployment/',
  automation: 'automations/automation/',
};

/** The kind and id a template object or resource stands for (`__kind` is set on context objects). */
function kindAndId(obj: unknown): { kind: string; id: string; name?: string } | null {
  if (typeof obj === 'string') {
    const m = /^prefect\.([a-z-]+)\.(.+)$/.exec(obj);
    return m === null ? null : { kind: m[1]!, id: m[2]! };
  }
  if (typeof obj !== 'object' || obj === null) return null;
  const o = obj as Record<string, unknown>;
  if (typeof o['prefect.resource.id'] === 'string') return kindAndId(o['prefect.resource.id']);
  if (typeof o.__kind === 'string' && typeof o.id === 'string') {
    return { kind: o.__kind, id: o.id, ...(typeof o.name === 'string' ? { name: o.name } : {}) };
  }
  return null;
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path}`;
}

/** Context objects carry `__kind` for the URL filters; JSON output leaves it out. */
function stripKinds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripKinds);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== '__kind')
      .map(([k, v]) => [k, stripKinds(v)]),
  );
}

function environment(filters: TemplateFilters): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
  env.addFilter('ui_url', (obj: unknown) => {
    const target = kindAndId(obj);
    if (target === null || filters.uiUrl === null) return null;
    const path = UI_PATHS[target.kind];
    if (path === undefined) return null;
    // Work pools are addressed by name in the UI.
    const id = target.kind === 'work-pool' && target.name !== undefined ? target.name : target.id;
    return joinUrl(filters.uiUrl, `${path}${id}`);
  });
  env.addFilter('ui_resource_events_url', (obj: unknown) => {
    const target = kindAndId(obj);
    if (target === null || filters.uiUrl === null) return null;
    return joinUrl(filters.uiUrl, `events?resource=prefect.${target.kind}.${target.id}`);
  });
  env.addFilter('flow_run_id', (text: unknown) => {
    if (typeof text !== 'string') return null;
    const m = /flow-run\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(text);
    return m === null ? null : m[1];
  });
  env.addFilter(
    'tojson',
    (value: unknown) => new nunjucks.runtime.SafeString(JSON.stringify(stripKinds(value) ?? null)),
  );
  env.addGlobal('range', (start: number, stop?: number, step = 1) => {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    const out: number[] = [];
    if (step === 0) return out;
    for (let i = from; step > 0 ? i < to : i > to; i += step) {
      if (out.length >= TEMPLATE_LIMITS.maxRange) {
        throw new Error(`range() is limited to ${TEMPLATE_LIMITS.maxRange} items`);
      }
      out.push(i);
    }
    return out;
  });
  return env;
}

/** Checks §5.8's loop limits on the parsed template: ≤ 10 `for` loops, nested ≤ 2 deep. */
function checkLoops(source: string): void {
  const parser = (nunjucks as unknown as { parser: { parse(src: string): unknown } }).parser;
  const root = parser.parse(source);
  let loops = 0;
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    let inner = depth;
    const type = (n as { typename?: string }).typename;
    if (type === 'For' || type === 'AsyncEach' || type === 'AsyncAll') {
      loops += 1;
      inner = depth + 1;
      if (loops > TEMPLATE_LIMITS.maxForLoops) {
        throw new Error(`a template may hold at most ${TEMPLATE_LIMITS.maxForLoops} for loops`);
      }
      if (inner > TEMPLATE_LIMITS.maxLoopDepth) {
        throw new Error(`loops may be nested at most ${TEMPLATE_LIMITS.maxLoopDepth} deep`);
      }
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'lineno' || key === 'colno') continue;
      if (Array.isArray(value)) value.forEach((child) => walk(child, inner));
      else if (typeof value === 'object') walk(value, inner);
    }
  };
  walk(root, 0);
}

/**
 * Why a template cannot be saved (its syntax, or more loops than allowed), or null when it can:
 * what saving an action checks (upstream `validate_user_template`), without rendering.
 */
export function templateProblem(source: string): string | null {
  try {
    checkLoops(source);
    return null;
  } catch (error) {
    return oneLine((error as Error).message);
  }
}

/** Whether a string may hold Jinja (upstream `maybe_template`). */
export function maybeTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/**
 * A sandboxed Jinja-compatible renderer (nunjucks, docs/adr/0005): no prototype or function access,
 * undefined values render as nothing, `range` ≤ 100 items, ≤ 10 loops nested ≤ 2 deep, output ≤
 * 100 000 characters. Any failure is a TemplateRenderError naming the template.
 */
export class TemplateRenderer {
  private readonly env: nunjucks.Environment;

  constructor(filters: TemplateFilters) {
    this.env = environment(filters);
  }

  /** Parses and checks a template without rendering it (what saving an action validates). */
  validate(source: string): void {
    try {
      checkLoops(source);
    } catch (error) {
      throw new TemplateRenderError(oneLine((error as Error).message), source);
    }
  }

  render(source: string, context: Record<string, unknown>): string {
    let output: string;
    try {
      checkLoops(source);
      output = this.env.renderString(source, context);
    } catch (error) {
      throw new TemplateRenderError(oneLine((error as Error).message), source);
    }
    if (output.length > TEMPLATE_LIMITS.maxOutputChars) {
      throw new TemplateRenderError(
        `the rendered template is longer than ${TEMPLATE_LIMITS.maxOutputChars} characters`,
        source,
      );
    }
    return output;
  }
}

/** nunjucks prefixes "(unknown path) [Line 1, Column 4]\n  "; keep the position and the cause. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
